x = "a"
for i in range(40):
    x = x + x,
print(len(repr(x)))

x = 3.14159
n = 42
w = 6
s = 'hi'
print(f'{x:.2f}|{n:>5}|{n:<5}|{n:^6}|{n:08d}|{n:x}|{-n:+d}|{n:,}')
print(f'{s!r} {s!s} {x=} {n = } {0.25:%} {0.5:.1%} {1e-7} {x:{w}internal error6}')
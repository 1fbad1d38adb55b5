import tensorflow as tf

q = tf.random.normal((32, 2))     # (Tq, dim)
k = tf.random.normal((1200, 2))   # (Tv, dim)

# Scores need a matrix product over dim, not an elementwise product.
scores = q * k
weights = tf.nn.softmax(scores, axis=-1)

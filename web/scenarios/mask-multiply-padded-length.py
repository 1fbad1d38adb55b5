import tensorflow as tf

q = tf.random.normal((32, 2))
q_padded = tf.pad(q, [[0, 1168], [0, 0]])  # (1200, 2)
mask = tf.cast(q_padded != 0, q.dtype)     # built for the padded length

# Masking the unpadded tensor with the padded mask.
y = q * mask

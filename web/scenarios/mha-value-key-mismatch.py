import tensorflow as tf
from tensorflow.keras import layers

query = tf.random.normal((1, 32, 8))
value = tf.random.normal((1, 20, 8))
key = tf.random.normal((1, 18, 8))

mha = layers.MultiHeadAttention(num_heads=2, key_dim=4)
output = mha(query, value, key=key)

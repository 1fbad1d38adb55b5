import tensorflow as tf
from tensorflow.keras import layers

query = tf.random.normal((1, 10, 4))  # dim 4
value = tf.random.normal((1, 20, 6))  # dim 6, also used as the key

output = layers.Attention()([query, value])

import tensorflow as tf
from tensorflow.keras import layers

query = tf.random.normal((1, 32, 2))
value = tf.random.normal((1, 1200, 2))

# A query mask built for the padded length 1200, used with the unpadded query.
query_mask = tf.sequence_mask(tf.constant([32]), 1200)  # (1, 1200)
output = layers.Attention()([query, value], mask=[query_mask, None])

import tensorflow as tf
from tensorflow.keras import layers

query_len = 32
key_len = 1200
dim = 2

query = tf.random.normal((1, query_len, dim))  # (batch, Tq, dim)
key = tf.random.normal((1, key_len, dim))      # (batch, Tv, dim)
value = tf.random.normal((1, key_len, dim))    # (batch, Tv, dim)

# Pad the query to the key length and mark the real steps with a mask.
padded_query = tf.pad(query, [[0, 0], [0, key_len - query_len], [0, 0]])
query_mask = tf.sequence_mask(tf.constant([query_len]), key_len)  # (1, 1200)

attention = layers.Attention()
output = attention([padded_query, value, key], mask=[query_mask])
print(f"output: {output.shape}")

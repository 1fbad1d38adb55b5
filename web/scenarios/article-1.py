import tensorflow as tf
from tensorflow.keras import layers

# A short query sequence attends over a long key/value sequence (batch of 1).
query_tensor = tf.random.normal((1, 32, 2))    # (batch, Tq, dim)
key_tensor = tf.random.normal((1, 1200, 2))    # (batch, Tv, dim)
value_tensor = tf.random.normal((1, 1200, 2))  # (batch, Tv, dim)

attention = layers.Attention()
# The article passes the list as [query, key, value].
output, weights = attention([query_tensor, key_tensor, value_tensor],
                            return_attention_scores=True)
print(f"output: {output.shape}")
print(f"weights: {weights.shape}")

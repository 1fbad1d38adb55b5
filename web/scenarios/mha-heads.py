import tensorflow as tf
from tensorflow.keras import layers

query = tf.random.normal((2, 10, 16))  # (batch, Tq, dim)
value = tf.random.normal((2, 20, 16))  # (batch, Tv, dim)

mha = layers.MultiHeadAttention(num_heads=4, key_dim=8)
output, scores = mha(query, value, return_attention_scores=True)
print(f"output: {output.shape}")  # (batch, Tq, dim)
print(f"scores: {scores.shape}")  # (batch, num_heads, Tq, Tv)

import tensorflow as tf
from tensorflow.keras import layers

x = tf.random.normal((1, 8, 4))  # (batch, T, dim): a sequence attends to itself

output, weights = layers.Attention()([x, x], return_attention_scores=True,
                                     use_causal_mask=True)
print(f"output: {output.shape}, weights: {weights.shape}")
# Step t only sees steps 0..t: the upper triangle of weights is 0.

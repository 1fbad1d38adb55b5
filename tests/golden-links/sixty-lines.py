# A 60-line edited program: the measure for "a 60-line edited program's
# link is at most 2000 characters". A small encoder-decoder with
# self-attention, cross-attention, masks and a residual path.
import tensorflow as tf
from tensorflow.keras import layers

batch = 2
source_len = 24     # Tv: encoder steps
target_len = 12     # Tq: decoder steps
dim = 16            # model width
num_heads = 4
key_dim = 8

# Encoder input: (batch, Tv, dim)
source = tf.random.normal((batch, source_len, dim))
# Decoder input: (batch, Tq, dim)
target = tf.random.normal((batch, target_len, dim))

# Self-attention over the source, every step sees every step.
enc_attention = layers.MultiHeadAttention(num_heads=num_heads, key_dim=key_dim)
enc_out, enc_scores = enc_attention(source, source, return_attention_scores=True)
print(f"encoder self-attention: {enc_out.shape}, scores {enc_scores.shape}")

# Residual connection and normalisation keep the width at dim.
enc = layers.LayerNormalization()(source + enc_out)
enc_ff = layers.Dense(64, activation="relu")(enc)
enc_ff = layers.Dense(dim)(enc_ff)
memory = layers.LayerNormalization()(enc + enc_ff)
print(f"memory: {memory.shape}")  # (batch, Tv, dim)

# Causal self-attention over the target: step t sees steps 0..t only.
dec_attention = layers.MultiHeadAttention(num_heads=num_heads, key_dim=key_dim)
dec_out = dec_attention(target, target, use_causal_mask=True)
dec = layers.LayerNormalization()(target + dec_out)
print(f"decoder self-attention: {dec.shape}")  # (batch, Tq, dim)

# Cross-attention: queries from the decoder, keys and values from memory.
cross = layers.MultiHeadAttention(num_heads=num_heads, key_dim=key_dim)
cross_out, cross_scores = cross(query=dec, value=memory, key=memory,
                                return_attention_scores=True)
print(f"cross-attention: {cross_out.shape}")       # (batch, Tq, dim)
print(f"cross scores: {cross_scores.shape}")       # (batch, heads, Tq, Tv)

# A padding mask on the source: the last 4 steps are padding.
valid = tf.concat([tf.ones((batch, source_len - 4)),
                   tf.zeros((batch, 4))], axis=1)
mask = tf.cast(valid, tf.bool)[:, tf.newaxis, :]   # (batch, 1, Tv)
masked_out = cross(query=dec, value=memory, attention_mask=mask)
print(f"masked cross-attention: {masked_out.shape}")

# The plain Attention layer reads [query, value, key]: mind the order.
plain = layers.Attention()
q = layers.Dense(dim)(dec)
k = layers.Dense(dim)(memory)
v = layers.Dense(dim)(memory)
out, weights = plain([q, v, k], return_attention_scores=True)
print(f"plain attention: {out.shape}, weights {weights.shape}")

logits = layers.Dense(32)(layers.LayerNormalization()(dec + cross_out))
print(f"logits: {logits.shape}")  # (batch, Tq, 32)

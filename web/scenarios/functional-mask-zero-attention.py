import tensorflow as tf
import keras
from keras import layers

# Token ids padded with 0 to 6 steps; Embedding(mask_zero=True) marks the padding.
tokens = keras.Input(shape=(6,), dtype="int32")
embedded = layers.Embedding(input_dim=100, output_dim=8, mask_zero=True)(tokens)
# Self-attention: the mask rides along with `embedded`, so padded keys get no weight.
context = layers.Attention()([embedded, embedded])
pooled = layers.GlobalAveragePooling1D()(context)
model = keras.Model(tokens, pooled)
print(embedded.shape, context.shape, pooled.shape)

batch = tf.constant([[5, 8, 2, 0, 0, 0], [7, 3, 9, 4, 1, 0]])
out = model(batch)
print(out.shape)

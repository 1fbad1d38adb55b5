import tensorflow as tf
import keras
from keras import layers

class TransformerBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, ff_dim):
        super().__init__()
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim // num_heads)
        self.ffn = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)])
        self.norm1 = layers.LayerNormalization(epsilon=1e-6)
        self.norm2 = layers.LayerNormalization(epsilon=1e-6)

    def call(self, x):
        attn = self.att(x, x)              # self-attention: query = value = x
        x = self.norm1(x + attn)           # residual: attn must keep x's shape
        return self.norm2(x + self.ffn(x))

inputs = keras.Input(shape=(20, 32))        # (batch, steps, embed_dim)
x = TransformerBlock(embed_dim=32, num_heads=4, ff_dim=64)(inputs)
outputs = layers.Dense(2, activation="softmax")(layers.GlobalAveragePooling1D()(x))
model = keras.Model(inputs, outputs)
print(x.shape, outputs.shape, model.count_params())

y = model(tf.random.normal((8, 20, 32)))
print(y.shape)

import tensorflow as tf
import keras
from keras import layers

# An encoder-decoder: the decoder's LSTM states attend over the encoder's.
source = keras.Input(shape=(30, 16))   # (batch, Tv, features)
target = keras.Input(shape=(12, 16))   # (batch, Tq, features)
encoder_seq = layers.LSTM(64, return_sequences=True)(source)
decoder_seq = layers.LSTM(32, return_sequences=True)(target)
context = layers.Attention()([decoder_seq, encoder_seq])
merged = layers.Concatenate()([decoder_seq, context])
outputs = layers.Dense(10, activation="softmax")(merged)
model = keras.Model([source, target], outputs)
print(context.shape, outputs.shape)

probs = model([tf.random.normal((4, 30, 16)), tf.random.normal((4, 12, 16))])

// model.summary() under the tf_keras profile: RenderSummaryTfKeras and the
// cell helpers, checked against text printed by real tf-keras 2.21 (the
// expected texts are copied from its output, trailing spaces included).
#include <gtest/gtest.h>

#include "core/keras/summary.h"

namespace ap::keras {
namespace {

const Dim N;  // None

// The Output Shape cell of a layer called once with one output.
std::string OneOutput(const PartialShape& shape) {
  return TfKerasOutputShapeCell({{shape}}, /*as_list=*/false);
}

// An InputLayer's cell: its output prints as a list.
std::string InputOutput(const PartialShape& shape) {
  return TfKerasOutputShapeCell({{shape}}, /*as_list=*/true);
}

TfKerasSummaryRow Row(const std::string& name, const std::string& class_name,
                      const std::string& output_shape, int64_t params,
                      std::vector<std::string> connected_to = {}) {
  TfKerasSummaryRow row;
  row.name = name;
  row.class_name = class_name;
  row.output_shape = output_shape;
  row.params = params;
  row.connected_to = std::move(connected_to);
  return row;
}

TfKerasSummaryTable Table(const std::string& title, bool with_connections,
                          std::vector<TfKerasSummaryRow> rows,
                          int64_t trainable, int64_t non_trainable = 0) {
  TfKerasSummaryTable table;
  table.title = title;
  table.with_connections = with_connections;
  table.rows = std::move(rows);
  table.trainable_params = trainable;
  table.non_trainable_params = non_trainable;
  return table;
}

TEST(KerasSummaryTfKerasTest, OutputShapeCells) {
  EXPECT_EQ(OneOutput({N, 32, 5}), "(None, 32, 5)");
  EXPECT_EQ(OneOutput({N}), "(None,)");
  EXPECT_EQ(InputOutput({N, 32, 2}), "[(None, 32, 2)]");
  EXPECT_EQ(InputOutput({N}), "[(None,)]");
  EXPECT_EQ(TfKerasOutputShapeCell({{{N, 32, 4}, {N, 4}, {N, 4}}}, false),
            "[(None, 32, 4), (None, 4), (None, 4)]");
  // A layer called twice: one text when the nodes agree, else "multiple".
  EXPECT_EQ(TfKerasOutputShapeCell({{{N, 32, 5}}, {{N, 32, 5}}}, false),
            "(None, 32, 5)");
  EXPECT_EQ(TfKerasOutputShapeCell({{{N, 3}}, {{N, 5, 3}}}, false), "multiple");
  // Never called (a layer of a subclassed model).
  EXPECT_EQ(TfKerasOutputShapeCell({}, false), "multiple");
}

TEST(KerasSummaryTfKerasTest, ConnectionText) {
  EXPECT_EQ(TfKerasConnection("input_1", 0, 0), "input_1[0][0]");
  EXPECT_EQ(TfKerasConnection("lstm", 0, 2), "lstm[0][2]");
}

// readable_memory_size's values, printed by tf-keras 2.21.
TEST(KerasSummaryTfKerasTest, ReadableMemorySize) {
  EXPECT_EQ(TfKerasReadableMemorySize(0), "0.00 Byte");
  EXPECT_EQ(TfKerasReadableMemorySize(1023), "1023.00 Byte");
  EXPECT_EQ(TfKerasReadableMemorySize(1024), "1.00 KB");
  EXPECT_EQ(TfKerasReadableMemorySize(1535), "1.50 KB");
  EXPECT_EQ(TfKerasReadableMemorySize(10239), "10.00 KB");
  EXPECT_EQ(TfKerasReadableMemorySize(1048575), "1024.00 KB");
  EXPECT_EQ(TfKerasReadableMemorySize(5376049152.0), "5.01 GB");
  EXPECT_EQ(TfKerasReadableMemorySize(1151795604700004352.0), "1023.00 PB");
  // Past PB the size is divided once more than the unit says.
  EXPECT_EQ(TfKerasReadableMemorySize(3458764513820540928.0), "3.00 PB");
}

// keras.Sequential([Input((32, 2)), Dense(5)]): the plain layout, no
// InputLayer row.
TEST(KerasSummaryTfKerasTest, Sequential) {
  const TfKerasSummaryTable table =
      Table("sequential", false,
            {Row("dense", "Dense", OneOutput({N, 32, 5}), 15)}, 15);
  EXPECT_EQ(
      RenderSummaryTfKeras(table),
      "Model: \"sequential\"\n"
      "_________________________________________________________________\n"
      " Layer (type)                Output Shape              Param #   \n"
      "=================================================================\n"
      " dense (Dense)               (None, 32, 5)             15        \n"
      "                                                                 \n"
      "=================================================================\n"
      "Total params: 15 (60.00 Byte)\n"
      "Trainable params: 15 (60.00 Byte)\n"
      "Non-trainable params: 0 (0.00 Byte)\n"
      "_________________________________________________________________\n");
}

// keras.Model(x, Dense(5)(x)), x = Input((32, 2)): sequential-like, so the
// plain layout, with the InputLayer row printing its shape as a list.
TEST(KerasSummaryTfKerasTest, FunctionalWithOneInput) {
  const TfKerasSummaryTable table =
      Table("model", false,
            {Row("input_1", "InputLayer", InputOutput({N, 32, 2}), 0),
             Row("dense", "Dense", OneOutput({N, 32, 5}), 15)},
            15);
  EXPECT_EQ(
      RenderSummaryTfKeras(table),
      "Model: \"model\"\n"
      "_________________________________________________________________\n"
      " Layer (type)                Output Shape              Param #   \n"
      "=================================================================\n"
      " input_1 (InputLayer)        [(None, 32, 2)]           0         \n"
      "                                                                 \n"
      " dense (Dense)               (None, 32, 5)             15        \n"
      "                                                                 \n"
      "=================================================================\n"
      "Total params: 15 (60.00 Byte)\n"
      "Trainable params: 15 (60.00 Byte)\n"
      "Non-trainable params: 0 (0.00 Byte)\n"
      "_________________________________________________________________\n");
}

// Attention()([q, v]) on two inputs: the "Connected to" layout, one inbound
// tensor per line.
TEST(KerasSummaryTfKerasTest, TwoInputsWithConnections) {
  const TfKerasSummaryTable table =
      Table("model", true,
            {Row("input_1", "InputLayer", InputOutput({N, 32, 4}), 0),
             Row("input_2", "InputLayer", InputOutput({N, 32, 4}), 0),
             Row("attention", "Attention", OneOutput({N, 32, 4}), 0,
                 {TfKerasConnection("input_1", 0, 0),
                  TfKerasConnection("input_2", 0, 0)})},
            0);
  EXPECT_EQ(RenderSummaryTfKeras(table),
            "Model: \"model\"\n"
            "__________________________________________________________________"
            "________________________________\n"
            " Layer (type)                Output Shape                 Param # "
            "  Connected to                  \n"
            "=================================================================="
            "================================\n"
            " input_1 (InputLayer)        [(None, 32, 4)]              0       "
            "  []                            \n"
            "                                                                  "
            "                                \n"
            " input_2 (InputLayer)        [(None, 32, 4)]              0       "
            "  []                            \n"
            "                                                                  "
            "                                \n"
            " attention (Attention)       (None, 32, 4)                0       "
            "  ['input_1[0][0]',             \n"
            "                                                                  "
            "   'input_2[0][0]']             \n"
            "                                                                  "
            "                                \n"
            "=================================================================="
            "================================\n"
            "Total params: 0 (0.00 Byte)\n"
            "Trainable params: 0 (0.00 Byte)\n"
            "Non-trainable params: 0 (0.00 Byte)\n"
            "__________________________________________________________________"
            "________________________________\n");
}

TEST(KerasSummaryTfKerasTest, LongNameWraps) {
  const TfKerasSummaryTable table =
      Table("model", false,
            {Row("input_1", "InputLayer", InputOutput({N, 32, 2}), 0),
             Row("a_very_long_layer_name_that_does_not_fit_in_the_column",
                 "Dense", OneOutput({N, 32, 5}), 15)},
            15);
  EXPECT_EQ(
      RenderSummaryTfKeras(table),
      "Model: \"model\"\n"
      "_________________________________________________________________\n"
      " Layer (type)                Output Shape              Param #   \n"
      "=================================================================\n"
      " input_1 (InputLayer)        [(None, 32, 2)]           0         \n"
      "                                                                 \n"
      " a_very_long_layer_name_tha  (None, 32, 5)             15        \n"
      " t_does_not_fit_in_the_colu                                      \n"
      " mn (Dense)                                                      \n"
      "                                                                 \n"
      "=================================================================\n"
      "Total params: 15 (60.00 Byte)\n"
      "Trainable params: 15 (60.00 Byte)\n"
      "Non-trainable params: 0 (0.00 Byte)\n"
      "_________________________________________________________________\n");
}

TEST(KerasSummaryTfKerasTest, VeryLongNameTakesThreeLines) {
  const TfKerasSummaryTable table =
      Table("model", false,
            {Row("input_1", "InputLayer", InputOutput({N, 4}), 0),
             Row(std::string(60, 'x'), "Dense", OneOutput({N, 3}), 15)},
            15);
  EXPECT_EQ(
      RenderSummaryTfKeras(table),
      "Model: \"model\"\n"
      "_________________________________________________________________\n"
      " Layer (type)                Output Shape              Param #   \n"
      "=================================================================\n"
      " input_1 (InputLayer)        [(None, 4)]               0         \n"
      "                                                                 \n"
      " xxxxxxxxxxxxxxxxxxxxxxxxxx  (None, 3)                 15        \n"
      " xxxxxxxxxxxxxxxxxxxxxxxxxx                                      \n"
      " xxxxxxxx (Dense)                                                \n"
      "                                                                 \n"
      "=================================================================\n"
      "Total params: 15 (60.00 Byte)\n"
      "Trainable params: 15 (60.00 Byte)\n"
      "Non-trainable params: 0 (0.00 Byte)\n"
      "_________________________________________________________________\n");
}

// Long names in the connections layout: the name column cuts mid-word and
// the connection wraps inside its quotes.
TEST(KerasSummaryTfKerasTest, LongNamesWithConnections) {
  const std::string input = "a_very_long_input_name_that_does_not_fit";
  const TfKerasSummaryTable table =
      Table("model", true,
            {Row(input, "InputLayer", InputOutput({N, 32, 4}), 0),
             Row("input_1", "InputLayer", InputOutput({N, 32, 4}), 0),
             Row("a_very_long_layer_name_that_does_not_fit_in_the_column",
                 "Attention", OneOutput({N, 32, 4}), 0,
                 {TfKerasConnection(input, 0, 0),
                  TfKerasConnection("input_1", 0, 0)})},
            0);
  EXPECT_EQ(RenderSummaryTfKeras(table),
            "Model: \"model\"\n"
            "__________________________________________________________________"
            "________________________________\n"
            " Layer (type)                Output Shape                 Param # "
            "  Connected to                  \n"
            "=================================================================="
            "================================\n"
            " a_very_long_input_name_tha  [(None, 32, 4)]              0       "
            "  []                            \n"
            " t_does_not_fit (InputLayer                                       "
            "                                \n"
            " )                                                                "
            "                                \n"
            "                                                                  "
            "                                \n"
            " input_1 (InputLayer)        [(None, 32, 4)]              0       "
            "  []                            \n"
            "                                                                  "
            "                                \n"
            " a_very_long_layer_name_tha  (None, 32, 4)                0       "
            "  ['a_very_long_input_name_that_\n"
            " t_does_not_fit_in_the_colu                                       "
            "  does_not_fit[0][0]',          \n"
            " mn (Attention)                                                   "
            "   'input_1[0][0]']             \n"
            "                                                                  "
            "                                \n"
            "=================================================================="
            "================================\n"
            "Total params: 0 (0.00 Byte)\n"
            "Trainable params: 0 (0.00 Byte)\n"
            "Non-trainable params: 0 (0.00 Byte)\n"
            "__________________________________________________________________"
            "________________________________\n");
}

// Counts print without separators; sizes in MB.
TEST(KerasSummaryTfKerasTest, LargeCountsInMegabytes) {
  const TfKerasSummaryTable table =
      Table("model", false,
            {Row("input_1", "InputLayer", InputOutput({N, 1000}), 0),
             Row("dense", "Dense", OneOutput({N, 1234}), 1235234),
             Row("dense_1", "Dense", OneOutput({N, 1000}), 1235000)},
            2470234);
  EXPECT_EQ(
      RenderSummaryTfKeras(table),
      "Model: \"model\"\n"
      "_________________________________________________________________\n"
      " Layer (type)                Output Shape              Param #   \n"
      "=================================================================\n"
      " input_1 (InputLayer)        [(None, 1000)]            0         \n"
      "                                                                 \n"
      " dense (Dense)               (None, 1234)              1235234   \n"
      "                                                                 \n"
      " dense_1 (Dense)             (None, 1000)              1235000   \n"
      "                                                                 \n"
      "=================================================================\n"
      "Total params: 2470234 (9.42 MB)\n"
      "Trainable params: 2470234 (9.42 MB)\n"
      "Non-trainable params: 0 (0.00 Byte)\n"
      "_________________________________________________________________\n");
}

TEST(KerasSummaryTfKerasTest, Kilobytes) {
  const TfKerasSummaryTable table =
      Table("sequential", false,
            {Row("dense", "Dense", OneOutput({N, 256}), 512)}, 512);
  EXPECT_EQ(
      RenderSummaryTfKeras(table),
      "Model: \"sequential\"\n"
      "_________________________________________________________________\n"
      " Layer (type)                Output Shape              Param #   \n"
      "=================================================================\n"
      " dense (Dense)               (None, 256)               512       \n"
      "                                                                 \n"
      "=================================================================\n"
      "Total params: 512 (2.00 KB)\n"
      "Trainable params: 512 (2.00 KB)\n"
      "Non-trainable params: 0 (0.00 Byte)\n"
      "_________________________________________________________________\n");
}

// A count as wide as the Param # column runs to the line's end.
TEST(KerasSummaryTfKerasTest, GigabytesAndAFullParamColumn) {
  const TfKerasSummaryTable table = Table(
      "sequential", false,
      {Row("dense", "Dense", OneOutput({N, 3000}), 300003000)}, 300003000);
  EXPECT_EQ(
      RenderSummaryTfKeras(table),
      "Model: \"sequential\"\n"
      "_________________________________________________________________\n"
      " Layer (type)                Output Shape              Param #   \n"
      "=================================================================\n"
      " dense (Dense)               (None, 3000)              300003000 \n"
      "                                                                 \n"
      "=================================================================\n"
      "Total params: 300003000 (1.12 GB)\n"
      "Trainable params: 300003000 (1.12 GB)\n"
      "Non-trainable params: 0 (0.00 Byte)\n"
      "_________________________________________________________________\n");
}

// float64 weights: 8 bytes a parameter.
TEST(KerasSummaryTfKerasTest, BytesPerParam) {
  TfKerasSummaryTable table = Table(
      "sequential", false, {Row("dense", "Dense", OneOutput({N, 3}), 15)}, 15);
  table.bytes_per_param = 8;
  EXPECT_EQ(
      RenderSummaryTfKeras(table),
      "Model: \"sequential\"\n"
      "_________________________________________________________________\n"
      " Layer (type)                Output Shape              Param #   \n"
      "=================================================================\n"
      " dense (Dense)               (None, 3)                 15        \n"
      "                                                                 \n"
      "=================================================================\n"
      "Total params: 15 (120.00 Byte)\n"
      "Trainable params: 15 (120.00 Byte)\n"
      "Non-trainable params: 0 (0.00 Byte)\n"
      "_________________________________________________________________\n");
}

// BatchNormalization with trainable=False: all four of its weights are
// non-trainable.
TEST(KerasSummaryTfKerasTest, FrozenBatchNormalization) {
  const TfKerasSummaryTable table = Table(
      "sequential", false,
      {Row("dense", "Dense", OneOutput({N, 4}), 36),
       Row("batch_normalization", "BatchNormalization", OneOutput({N, 4}), 16)},
      36, 16);
  EXPECT_EQ(
      RenderSummaryTfKeras(table),
      "Model: \"sequential\"\n"
      "_________________________________________________________________\n"
      " Layer (type)                Output Shape              Param #   \n"
      "=================================================================\n"
      " dense (Dense)               (None, 4)                 36        \n"
      "                                                                 \n"
      " batch_normalization (Batch  (None, 4)                 16        \n"
      " Normalization)                                                  \n"
      "                                                                 \n"
      "=================================================================\n"
      "Total params: 52 (208.00 Byte)\n"
      "Trainable params: 36 (144.00 Byte)\n"
      "Non-trainable params: 16 (64.00 Byte)\n"
      "_________________________________________________________________\n");
}

// A trainable BatchNormalization: its moving mean and variance are not.
TEST(KerasSummaryTfKerasTest, BatchNormalization) {
  const TfKerasSummaryTable table = Table(
      "sequential", false,
      {Row("dense", "Dense", OneOutput({N, 4}), 36),
       Row("batch_normalization", "BatchNormalization", OneOutput({N, 4}), 16)},
      44, 8);
  EXPECT_EQ(
      RenderSummaryTfKeras(table),
      "Model: \"sequential\"\n"
      "_________________________________________________________________\n"
      " Layer (type)                Output Shape              Param #   \n"
      "=================================================================\n"
      " dense (Dense)               (None, 4)                 36        \n"
      "                                                                 \n"
      " batch_normalization (Batch  (None, 4)                 16        \n"
      " Normalization)                                                  \n"
      "                                                                 \n"
      "=================================================================\n"
      "Total params: 52 (208.00 Byte)\n"
      "Trainable params: 44 (176.00 Byte)\n"
      "Non-trainable params: 8 (32.00 Byte)\n"
      "_________________________________________________________________\n");
}

// LSTM(4, return_state=True) whose three outputs are the model's: still
// sequential-like; the list of shapes wraps after each "),".
TEST(KerasSummaryTfKerasTest, LayerWithThreeOutputs) {
  const TfKerasSummaryTable table = Table(
      "model", false,
      {Row("input_1", "InputLayer", InputOutput({N, 32, 2}), 0),
       Row("lstm", "LSTM",
           TfKerasOutputShapeCell({{{N, 4}, {N, 4}, {N, 4}}}, false), 112)},
      112);
  EXPECT_EQ(
      RenderSummaryTfKeras(table),
      "Model: \"model\"\n"
      "_________________________________________________________________\n"
      " Layer (type)                Output Shape              Param #   \n"
      "=================================================================\n"
      " input_1 (InputLayer)        [(None, 32, 2)]           0         \n"
      "                                                                 \n"
      " lstm (LSTM)                 [(None, 4),               112       \n"
      "                              (None, 4),                         \n"
      "                              (None, 4)]                         \n"
      "                                                                 \n"
      "=================================================================\n"
      "Total params: 112 (448.00 Byte)\n"
      "Trainable params: 112 (448.00 Byte)\n"
      "Non-trainable params: 0 (0.00 Byte)\n"
      "_________________________________________________________________\n");
}

// Concatenate()([h, c]) of the LSTM's states: connections name the tensor
// index.
TEST(KerasSummaryTfKerasTest, ConnectionsToSecondaryOutputs) {
  const TfKerasSummaryTable table = Table(
      "model", true,
      {Row("input_1", "InputLayer", InputOutput({N, 32, 2}), 0),
       Row("lstm", "LSTM",
           TfKerasOutputShapeCell({{{N, 32, 4}, {N, 4}, {N, 4}}}, false), 112,
           {TfKerasConnection("input_1", 0, 0)}),
       Row("concatenate", "Concatenate", OneOutput({N, 8}), 0,
           {TfKerasConnection("lstm", 0, 1), TfKerasConnection("lstm", 0, 2)})},
      112);
  EXPECT_EQ(RenderSummaryTfKeras(table),
            "Model: \"model\"\n"
            "__________________________________________________________________"
            "________________________________\n"
            " Layer (type)                Output Shape                 Param # "
            "  Connected to                  \n"
            "=================================================================="
            "================================\n"
            " input_1 (InputLayer)        [(None, 32, 2)]              0       "
            "  []                            \n"
            "                                                                  "
            "                                \n"
            " lstm (LSTM)                 [(None, 32, 4),              112     "
            "  ['input_1[0][0]']             \n"
            "                              (None, 4),                          "
            "                                \n"
            "                              (None, 4)]                          "
            "                                \n"
            "                                                                  "
            "                                \n"
            " concatenate (Concatenate)   (None, 8)                    0       "
            "  ['lstm[0][1]',                \n"
            "                                                                  "
            "   'lstm[0][2]']                \n"
            "                                                                  "
            "                                \n"
            "=================================================================="
            "================================\n"
            "Total params: 112 (448.00 Byte)\n"
            "Trainable params: 112 (448.00 Byte)\n"
            "Non-trainable params: 0 (0.00 Byte)\n"
            "__________________________________________________________________"
            "________________________________\n");
}

// A functional model used as a layer: "model (Functional)".
TEST(KerasSummaryTfKerasTest, NestedModel) {
  const TfKerasSummaryTable table =
      Table("model_1", false,
            {Row("input_2", "InputLayer", InputOutput({N, 32, 2}), 0),
             Row("model", "Functional", OneOutput({N, 32, 5}), 15),
             Row("dense_1", "Dense", OneOutput({N, 32, 3}), 18)},
            33);
  EXPECT_EQ(
      RenderSummaryTfKeras(table),
      "Model: \"model_1\"\n"
      "_________________________________________________________________\n"
      " Layer (type)                Output Shape              Param #   \n"
      "=================================================================\n"
      " input_2 (InputLayer)        [(None, 32, 2)]           0         \n"
      "                                                                 \n"
      " model (Functional)          (None, 32, 5)             15        \n"
      "                                                                 \n"
      " dense_1 (Dense)             (None, 32, 3)             18        \n"
      "                                                                 \n"
      "=================================================================\n"
      "Total params: 33 (132.00 Byte)\n"
      "Trainable params: 33 (132.00 Byte)\n"
      "Non-trainable params: 0 (0.00 Byte)\n"
      "_________________________________________________________________\n");
}

// The nested model called on two inputs: its second node is "model[1][0]".
TEST(KerasSummaryTfKerasTest, SharedNestedModel) {
  const TfKerasSummaryTable table = Table(
      "model_1", true,
      {Row("input_2", "InputLayer", InputOutput({N, 32, 2}), 0),
       Row("input_3", "InputLayer", InputOutput({N, 32, 2}), 0),
       Row("model", "Functional",
           TfKerasOutputShapeCell({{{N, 32, 5}}, {{N, 32, 5}}}, false), 15,
           {TfKerasConnection("input_2", 0, 0),
            TfKerasConnection("input_3", 0, 0)}),
       Row("add", "Add", OneOutput({N, 32, 5}), 0,
           {TfKerasConnection("model", 0, 0),
            TfKerasConnection("model", 1, 0)})},
      15);
  EXPECT_EQ(RenderSummaryTfKeras(table),
            "Model: \"model_1\"\n"
            "__________________________________________________________________"
            "________________________________\n"
            " Layer (type)                Output Shape                 Param # "
            "  Connected to                  \n"
            "=================================================================="
            "================================\n"
            " input_2 (InputLayer)        [(None, 32, 2)]              0       "
            "  []                            \n"
            "                                                                  "
            "                                \n"
            " input_3 (InputLayer)        [(None, 32, 2)]              0       "
            "  []                            \n"
            "                                                                  "
            "                                \n"
            " model (Functional)          (None, 32, 5)                15      "
            "  ['input_2[0][0]',             \n"
            "                                                                  "
            "   'input_3[0][0]']             \n"
            "                                                                  "
            "                                \n"
            " add (Add)                   (None, 32, 5)                0       "
            "  ['model[0][0]',               \n"
            "                                                                  "
            "   'model[1][0]']               \n"
            "                                                                  "
            "                                \n"
            "=================================================================="
            "================================\n"
            "Total params: 15 (60.00 Byte)\n"
            "Trainable params: 15 (60.00 Byte)\n"
            "Non-trainable params: 0 (0.00 Byte)\n"
            "__________________________________________________________________"
            "________________________________\n");
}

TEST(KerasSummaryTfKerasTest, SharedLayerWithDifferentShapes) {
  const TfKerasSummaryTable table =
      Table("model", true,
            {Row("input_1", "InputLayer", InputOutput({N, 4}), 0),
             Row("input_2", "InputLayer", InputOutput({N, 5, 4}), 0),
             Row("dense", "Dense",
                 TfKerasOutputShapeCell({{{N, 3}}, {{N, 5, 3}}}, false), 15,
                 {TfKerasConnection("input_1", 0, 0),
                  TfKerasConnection("input_2", 0, 0)})},
            15);
  EXPECT_EQ(RenderSummaryTfKeras(table),
            "Model: \"model\"\n"
            "__________________________________________________________________"
            "________________________________\n"
            " Layer (type)                Output Shape                 Param # "
            "  Connected to                  \n"
            "=================================================================="
            "================================\n"
            " input_1 (InputLayer)        [(None, 4)]                  0       "
            "  []                            \n"
            "                                                                  "
            "                                \n"
            " input_2 (InputLayer)        [(None, 5, 4)]               0       "
            "  []                            \n"
            "                                                                  "
            "                                \n"
            " dense (Dense)               multiple                     15      "
            "  ['input_1[0][0]',             \n"
            "                                                                  "
            "   'input_2[0][0]']             \n"
            "                                                                  "
            "                                \n"
            "=================================================================="
            "================================\n"
            "Total params: 15 (60.00 Byte)\n"
            "Trainable params: 15 (60.00 Byte)\n"
            "Non-trainable params: 0 (0.00 Byte)\n"
            "__________________________________________________________________"
            "________________________________\n");
}

// A subclassed model: layers have no nodes ("multiple"); one never called is
// unbuilt ("0 (unused)").
TEST(KerasSummaryTfKerasTest, SubclassedModel) {
  TfKerasSummaryRow unused =
      Row("dense_1", "Dense", TfKerasOutputShapeCell({}, false), 0);
  unused.unused = true;
  const TfKerasSummaryTable table = Table(
      "m", false,
      {Row("dense", "Dense", TfKerasOutputShapeCell({}, false), 15), unused},
      15);
  EXPECT_EQ(
      RenderSummaryTfKeras(table),
      "Model: \"m\"\n"
      "_________________________________________________________________\n"
      " Layer (type)                Output Shape              Param #   \n"
      "=================================================================\n"
      " dense (Dense)               multiple                  15        \n"
      "                                                                 \n"
      " dense_1 (Dense)             multiple                  0 (unused)\n"
      "                                                                 \n"
      "=================================================================\n"
      "Total params: 15 (60.00 Byte)\n"
      "Trainable params: 15 (60.00 Byte)\n"
      "Non-trainable params: 0 (0.00 Byte)\n"
      "_________________________________________________________________\n");
}

TEST(KerasSummaryTfKerasTest, RankOneInput) {
  const TfKerasSummaryTable table =
      Table("model", false,
            {Row("input_1", "InputLayer", InputOutput({N}), 0),
             Row("reshape", "Reshape", OneOutput({N, 1}), 0)},
            0);
  EXPECT_EQ(
      RenderSummaryTfKeras(table),
      "Model: \"model\"\n"
      "_________________________________________________________________\n"
      " Layer (type)                Output Shape              Param #   \n"
      "=================================================================\n"
      " input_1 (InputLayer)        [(None,)]                 0         \n"
      "                                                                 \n"
      " reshape (Reshape)           (None, 1)                 0         \n"
      "                                                                 \n"
      "=================================================================\n"
      "Total params: 0 (0.00 Byte)\n"
      "Trainable params: 0 (0.00 Byte)\n"
      "Non-trainable params: 0 (0.00 Byte)\n"
      "_________________________________________________________________\n");
}

TEST(KerasSummaryTfKerasTest, FourConnections) {
  std::vector<TfKerasSummaryRow> rows;
  std::vector<std::string> inbound;
  for (int i = 1; i <= 4; ++i) {
    const std::string name = "input_" + std::to_string(i);
    rows.push_back(Row(name, "InputLayer", InputOutput({N, 4}), 0));
    inbound.push_back(TfKerasConnection(name, 0, 0));
  }
  rows.push_back(
      Row("concatenate", "Concatenate", OneOutput({N, 16}), 0, inbound));
  EXPECT_EQ(RenderSummaryTfKeras(Table("model", true, rows, 0)),
            "Model: \"model\"\n"
            "__________________________________________________________________"
            "________________________________\n"
            " Layer (type)                Output Shape                 Param # "
            "  Connected to                  \n"
            "=================================================================="
            "================================\n"
            " input_1 (InputLayer)        [(None, 4)]                  0       "
            "  []                            \n"
            "                                                                  "
            "                                \n"
            " input_2 (InputLayer)        [(None, 4)]                  0       "
            "  []                            \n"
            "                                                                  "
            "                                \n"
            " input_3 (InputLayer)        [(None, 4)]                  0       "
            "  []                            \n"
            "                                                                  "
            "                                \n"
            " input_4 (InputLayer)        [(None, 4)]                  0       "
            "  []                            \n"
            "                                                                  "
            "                                \n"
            " concatenate (Concatenate)   (None, 16)                   0       "
            "  ['input_1[0][0]',             \n"
            "                                                                  "
            "   'input_2[0][0]',             \n"
            "                                                                  "
            "   'input_3[0][0]',             \n"
            "                                                                  "
            "   'input_4[0][0]']             \n"
            "                                                                  "
            "                                \n"
            "=================================================================="
            "================================\n"
            "Total params: 0 (0.00 Byte)\n"
            "Trainable params: 0 (0.00 Byte)\n"
            "Non-trainable params: 0 (0.00 Byte)\n"
            "__________________________________________________________________"
            "________________________________\n");
}

// Shapes wider than their column cut mid-number.
TEST(KerasSummaryTfKerasTest, LongShapesWrap) {
  const PartialShape big = {N, 123456, 123456, 123456, 3};
  const TfKerasSummaryTable table =
      Table("model", true,
            {Row("input_1", "InputLayer", InputOutput(big), 0),
             Row("input_2", "InputLayer", InputOutput(big), 0),
             Row("add", "Add", OneOutput(big), 0,
                 {TfKerasConnection("input_1", 0, 0),
                  TfKerasConnection("input_2", 0, 0)})},
            0);
  EXPECT_EQ(RenderSummaryTfKeras(table),
            "Model: \"model\"\n"
            "__________________________________________________________________"
            "________________________________\n"
            " Layer (type)                Output Shape                 Param # "
            "  Connected to                  \n"
            "=================================================================="
            "================================\n"
            " input_1 (InputLayer)        [(None, 123456, 123456, 12   0       "
            "  []                            \n"
            "                             3456, 3)]                            "
            "                                \n"
            "                                                                  "
            "                                \n"
            " input_2 (InputLayer)        [(None, 123456, 123456, 12   0       "
            "  []                            \n"
            "                             3456, 3)]                            "
            "                                \n"
            "                                                                  "
            "                                \n"
            " add (Add)                   (None, 123456, 123456, 123   0       "
            "  ['input_1[0][0]',             \n"
            "                             456, 3)                              "
            "   'input_2[0][0]']             \n"
            "                                                                  "
            "                                \n"
            "=================================================================="
            "================================\n"
            "Total params: 0 (0.00 Byte)\n"
            "Trainable params: 0 (0.00 Byte)\n"
            "Non-trainable params: 0 (0.00 Byte)\n"
            "__________________________________________________________________"
            "________________________________\n");
}

// Names are written with Python's repr in the connections list, and the
// title as it is.
TEST(KerasSummaryTfKerasTest, QuotesInNames) {
  const TfKerasSummaryTable table = Table(
      "mo\"del", true,
      {Row("it's", "InputLayer", InputOutput({N, 4}), 0),
       Row("q\"x", "InputLayer", InputOutput({N, 4}), 0),
       Row("add", "Add", OneOutput({N, 4}), 0,
           {TfKerasConnection("it's", 0, 0), TfKerasConnection("q\"x", 0, 0)})},
      0);
  EXPECT_EQ(RenderSummaryTfKeras(table),
            "Model: \"mo\"del\"\n"
            "__________________________________________________________________"
            "________________________________\n"
            " Layer (type)                Output Shape                 Param # "
            "  Connected to                  \n"
            "=================================================================="
            "================================\n"
            " it's (InputLayer)           [(None, 4)]                  0       "
            "  []                            \n"
            "                                                                  "
            "                                \n"
            " q\"x (InputLayer)            [(None, 4)]                  0      "
            "   []                            \n"
            "                                                                  "
            "                                \n"
            " add (Add)                   (None, 4)                    0       "
            "  [\"it's[0][0]\", 'q\"x[0][0]']   \n"
            "                                                                  "
            "                                \n"
            "=================================================================="
            "================================\n"
            "Total params: 0 (0.00 Byte)\n"
            "Trainable params: 0 (0.00 Byte)\n"
            "Non-trainable params: 0 (0.00 Byte)\n"
            "__________________________________________________________________"
            "________________________________\n");
}

TEST(KerasSummaryTfKerasTest, NonAsciiTitle) {
  const TfKerasSummaryTable table =
      Table("modèle", true,
            {Row("x", "InputLayer", InputOutput({N, 4}), 0),
             Row("b", "InputLayer", InputOutput({N, 4}), 0),
             Row("s", "Add", OneOutput({N, 4}), 0,
                 {TfKerasConnection("x", 0, 0), TfKerasConnection("b", 0, 0)})},
            0);
  EXPECT_EQ(RenderSummaryTfKeras(table),
            "Model: \"modèle\"\n"
            "__________________________________________________________________"
            "________________________________\n"
            " Layer (type)                Output Shape                 Param # "
            "  Connected to                  \n"
            "=================================================================="
            "================================\n"
            " x (InputLayer)              [(None, 4)]                  0       "
            "  []                            \n"
            "                                                                  "
            "                                \n"
            " b (InputLayer)              [(None, 4)]                  0       "
            "  []                            \n"
            "                                                                  "
            "                                \n"
            " s (Add)                     (None, 4)                    0       "
            "  ['x[0][0]',                   \n"
            "                                                                  "
            "   'b[0][0]']                   \n"
            "                                                                  "
            "                                \n"
            "=================================================================="
            "================================\n"
            "Total params: 0 (0.00 Byte)\n"
            "Trainable params: 0 (0.00 Byte)\n"
            "Non-trainable params: 0 (0.00 Byte)\n"
            "__________________________________________________________________"
            "________________________________\n");
}

// Columns are cut by code points, as Python slices str.
TEST(KerasSummaryTfKerasTest, NonAsciiNamesCutByCodePoints) {
  const std::string input = "entrée_données_très_longues_éééé";
  const TfKerasSummaryTable table = Table(
      "model", true,
      {Row(input, "InputLayer", InputOutput({N, 4}), 0),
       Row("b", "InputLayer", InputOutput({N, 4}), 0),
       Row("add", "Add", OneOutput({N, 4}), 0,
           {TfKerasConnection(input, 0, 0), TfKerasConnection("b", 0, 0)})},
      0);
  EXPECT_EQ(RenderSummaryTfKeras(table),
            "Model: \"model\"\n"
            "__________________________________________________________________"
            "________________________________\n"
            " Layer (type)                Output Shape                 Param # "
            "  Connected to                  \n"
            "=================================================================="
            "================================\n"
            " entrée_données_très_longue  [(None, 4)]                  0       "
            "  []                            \n"
            " s_éééé (InputLayer)                                              "
            "                                \n"
            "                                                                  "
            "                                \n"
            " b (InputLayer)              [(None, 4)]                  0       "
            "  []                            \n"
            "                                                                  "
            "                                \n"
            " add (Add)                   (None, 4)                    0       "
            "  ['entrée_données_très_longues_\n"
            "                                                                  "
            "  éééé[0][0]',                  \n"
            "                                                                  "
            "   'b[0][0]']                   \n"
            "                                                                  "
            "                                \n"
            "=================================================================="
            "================================\n"
            "Total params: 0 (0.00 Byte)\n"
            "Trainable params: 0 (0.00 Byte)\n"
            "Non-trainable params: 0 (0.00 Byte)\n"
            "__________________________________________________________________"
            "________________________________\n");
}

}  // namespace
}  // namespace ap::keras

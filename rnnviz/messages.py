"""Sentences the core says to a person, in English and 简体中文, as data.

The core raises and returns `Message`s: a `str` holding the English sentence (so notebooks,
logs and `str(error)` read as before) that also keeps its `key` and `values`, so a user
interface can word the same message in another language with `message.text("zh")`. This
module is plain data and imports nothing but the standard library.
"""

from __future__ import annotations

TEXTS = {
    "en": {
        "kind": "kind must be one of RNN, LSTM, GRU; got {value!r}.",
        "whole": "{name} must be a whole number; got {value!r}.",
        "at_least_1": "{name} must be at least 1; got {value}. Set it to 1 or more.",
        "boolean": "{name} must be True or False; got {value!r}.",
        "nonlinearity": "nonlinearity must be 'tanh' or 'relu' (lower case); got {value!r}.",
        "nonlinearity_rnn_only": (
            "nonlinearity applies to RNN only; {kind} has fixed gate activations. Leave it at 'tanh'."
        ),
        "dropout_range": "dropout is a probability and must lie in [0, 1]; got {value!r}.",
        "proj_lstm_only": "proj_size works with LSTM only, not {kind}: set proj_size to 0 or switch to LSTM.",
        "proj_negative": "proj_size must be 0 (no projection) or positive; got {value}.",
        "proj_too_big": (
            "proj_size ({proj}) must be smaller than hidden_size ({hidden}): lower proj_size to at most "
            "{top}, raise hidden_size, or set proj_size to 0."
        ),
        "dtype": "dtype must be 'float32' or 'float64'; got {value!r}.",
        "seed": "seed must be a whole number ≥ 0; got {value!r}.",
        "too_many_parameters": (
            "this layer would have {count:,} parameters, more than the {top:,} rnnviz builds: lower "
            "hidden_size, input_size or num_layers."
        ),
        "dropout_one_layer": (
            "dropout acts between stacked layers only: with num_layers = 1 it does nothing (torch warns "
            "about this). Raise num_layers or set dropout to 0."
        ),
        "dropout_eval": (
            "dropout acts only in train mode; in eval mode the layer ignores it. Switch to train mode to "
            "see it."
        ),
        "dropout_one": (
            "dropout = 1 zeroes every output of the lower layers: the upper layers see only zeros."
        ),
        "relu_unbounded": "relu is unbounded: hidden states can grow geometrically over long sequences.",
        "source": "input source must be one of {options}; got {value!r}.",
        "features_mismatch": (
            "the {source} input has {features} features but input_size is {input_size}: set input_size to "
            "{features}."
        ),
        "unbatched_many": (
            "unbatched input holds one sequence; this data has several: keep only one or switch to batched."
        ),
        "initial_state": "initial_state must be 'zeros' or 'random'; got {value!r}.",
        "size_whole": "{name} must be a whole number ≥ 1; got {value!r}.",
        "size_too_big": "{name} = {value} is more than rnnviz runs ({top}): lower it.",
        "lengths_count": "give one length per sequence: {batch} sequences, {count} lengths.",
        "lengths_range": "every length must lie in 1..{steps} (the padded length); got {bad}.",
        "lengths_sorted": (
            "with enforce_sorted=True the lengths must be in decreasing order: sort the batch or turn "
            "enforce_sorted off."
        ),
        "text_empty": "the text is empty: type at least one character.",
        "csv_empty": "the CSV is empty: give a header row and at least one row of numbers.",
        "csv_ragged": (
            "the CSV's rows have different numbers of fields ({detail}); make every row as long as the "
            "header."
        ),
        "csv_unreadable": "the CSV could not be read ({detail}).",
        "csv_no_rows": "the CSV has a header but no rows: add at least one row of numbers.",
        "csv_no_column": "the CSV has no column {column!r}; its columns are {columns}.",
        "csv_no_features": (
            "the CSV has no feature columns besides the sequence column {column!r}: add at least one column "
            "of numbers (a feature) beside it."
        ),
        "csv_none": "choose a CSV file (rows = time steps, columns = features, at most 5 MB).",
        "csv_encoding": (
            "the file is {encoding} text, not UTF-8: save the CSV as UTF-8 (plain text; “CSV UTF-8” in a "
            "spreadsheet) and upload it again."
        ),
        "csv_binary": (
            "the file holds NUL bytes, so it is not UTF-8 plain text (UTF-16, or a spreadsheet such as "
            ".xlsx?): save it as a UTF-8 CSV (plain text) and upload it again."
        ),
        "csv_not_utf8": (
            "the CSV is not UTF-8 text (byte {byte} at position {position}): save it as a UTF-8 CSV "
            "(plain text) and upload it again."
        ),
        "csv_extra_fields": (
            "the CSV's rows and header have different numbers of fields: row {row} has {fields} fields, the "
            "header {width}. Name every column in the header, or remove the extra fields."
        ),
        "csv_columns": (
            "the CSV has {count:,} columns, more than the {top} features rnnviz feeds a layer: keep fewer "
            "columns."
        ),
        "csv_no_sequence_id": (
            "the CSV's row {row} has no value in the sequence column {column!r}: give every row a sequence "
            "id."
        ),
        "csv_sequences": (
            "the CSV has {count:,} sequences (distinct values of {column!r}), more than rnnviz runs at once "
            "({top:,}): keep fewer sequences."
        ),
        "csv_long": (
            "the CSV's longest sequence has {count:,} rows, more than the {top:,} time steps rnnviz runs: "
            "shorten it."
        ),
        "csv_infinite": (
            "the CSV holds {value} at row {row}, column {column!r}: rnnviz needs finite numbers (an "
            "infinity, or a number beyond float64's range of about 1.8e308, cannot be fed to a layer)."
        ),
        "csv_float32_overflow": (
            "the CSV's value {value} at row {row}, column {column!r} is too large for float32 (its largest "
            "value is about 3.4e38): scale the data down or set dtype to float64."
        ),
        "text_too_long": "the text has {count:,} characters, more than rnnviz reads ({top:,}): shorten it.",
        "text_lines": (
            "the text has {count:,} lines (one sequence each), more than rnnviz runs at once ({top:,}): use "
            "fewer lines."
        ),
        "text_line_long": (
            "the text's longest line has {count:,} characters, more than the {top:,} time steps rnnviz runs: "
            "break it into shorter lines."
        ),
        "text_vocabulary": (
            "the text has {count:,} distinct characters, more than the {top} one-hot features rnnviz builds: "
            "use a text with fewer distinct characters."
        ),
        "input_values": (
            "the input would hold {values:,} numbers ({steps:,} steps × {sequences:,} sequences × "
            "{features:,} features, padded), more than rnnviz builds ({top:,}): use fewer or shorter "
            "sequences, or fewer features."
        ),
        "csv_text_cell": (
            "the CSV holds text where a number belongs: row {row}, column {column!r} = {value!r}."
        ),
        "csv_nan": (
            "the CSV has a missing value (NaN) at row {row}, column {column!r}: fill it in or drop the row."
        ),
        "packed_2d": "a PackedSequence's .data must be 2-D (sum of lengths, input_size); got {shape}.",
        "input_dims": (
            "input must be 3-D {layout} or 2-D (seq_len, input_size) for one unbatched sequence; got a "
            "{dims}-D tensor of shape {shape}."
        ),
        "no_steps": "the sequence length is 0: give at least one time step.",
        "empty_batch": "the batch is empty (batch size 0): give at least one sequence.",
        "input_features": (
            "the input has {features} features in its last dimension but the layer's input_size is "
            "{input_size}: make them equal."
        ),
        "input_dtype": (
            "the input's dtype is {dtype} but the layer's weights are {weights}: convert one of them "
            "(x.to({weights}) or module.to({dtype}))."
        ),
        "input_device": "the input is on {device} but the layer is on {layer}: move one of them.",
        "lstm_pair": "an LSTM takes its initial state as a pair (h_0, c_0).",
        "state_tensor": "{kind} takes its initial state h_0 as one tensor.",
        "state_type": "{name} must be a tensor; got {type}.",
        "state_shape": "{name} has shape {shape} but this call needs {expected} {dims}.",
        "state_shape_batch_first": (
            "{name} has shape {shape} but this call needs {expected} {dims} — h_0 never follows "
            "batch_first."
        ),
        "state_dtype": "{name} is {dtype} on {device}; the layer is {weights} on {layer}: convert {name}.",
        "device_name": "'{requested}' is not a device name ({detail}); using cpu.",
        "device_missing": "{device} is not available on this machine ({offered}); using cpu.",
        "task_symbols": "recall needs 2 to 32 symbols; got {value}.",
        "task_series": "the series needs at least 3 rows of numbers: upload a CSV with more rows.",
        "task_text_short": "the text needs at least 3 characters to predict the next one.",
        "task_vocabulary": (
            "the text has {count} distinct characters, more than the {top} the task one-hot encodes: "
            "use a shorter or simpler text."
        ),
        "task_name": "task must be one of {options}; got {value!r}.",
        "layer_unreadable": "the file could not be read as a state dict ({detail}).",
        "layer_needs_code": (
            "the file is a pickle that needs code to load, and rnnviz never runs code from a file "
            "({detail}). Save only the tensors: torch.save(module.state_dict(), path), or use safetensors."
        ),
        "layer_not_state_dict": (
            "the file holds a {found}, not a state dict of tensors: save module.state_dict() instead."
        ),
        "layer_none_found": (
            "no recurrent layer (weight_ih_l0, weight_hh_l0) under the prefix {prefix}; the file has layers "
            "under: {found}."
        ),
        "layer_shapes": (
            "weight_ih_l0 has shape {shape}, which is not 1, 3 or 4 blocks of hidden_size {hidden}: "
            "this is not an nn.RNN, nn.GRU or nn.LSTM."
        ),
        "layer_keys": (
            "the parameters do not match the layer they describe: missing {missing}; unexpected {unexpected}."
        ),
        "layer_inconsistent": "the parameters' shapes do not fit one layer: {detail}.",
        "layer_compressed": (
            "the file's zip members are compressed, which torch.save never does: save the layer with "
            "torch.save(module.state_dict(), path) and upload that file."
        ),
        "layer_too_big": (
            "the file would unpack to more than {top} MB: save only the recurrent layer's state dict."
        ),
        "layer_layers": (
            "the layers in the file are numbered {found}: rnnviz reads layers 0, 1, … in order, "
            "at most {top}."
        ),
        "train_peeks": (
            "a bidirectional layer reads the next step while predicting it, so the task would teach nothing: "
            "turn bidirectional off for sine, series and text, or choose adding or recall."
        ),
        "train_too_big": (
            "a training batch would hold {values:,} numbers, more than the {top:,} rnnviz builds: lower "
            "seq_len or batch size, or use fewer features."
        ),
    },
    "zh": {
        "kind": "kind 必须是 RNN、LSTM、GRU 之一；收到 {value!r}。",
        "whole": "{name} 必须是整数；收到 {value!r}。",
        "at_least_1": "{name} 至少为 1；收到 {value}。请设为 1 或更大。",
        "boolean": "{name} 必须是 True 或 False；收到 {value!r}。",
        "nonlinearity": "nonlinearity 必须是 'tanh' 或 'relu'（小写）；收到 {value!r}。",
        "nonlinearity_rnn_only": "nonlinearity 只适用于 RNN；{kind} 的门激活函数是固定的。请保持为 'tanh'。",
        "dropout_range": "dropout 是概率，必须在 [0, 1] 之间；收到 {value!r}。",
        "proj_lstm_only": "proj_size 只适用于 LSTM，不适用于 {kind}：把 proj_size 设为 0，或改用 LSTM。",
        "proj_negative": "proj_size 必须为 0（不投影）或正数；收到 {value}。",
        "proj_too_big": (
            "proj_size（{proj}）必须小于 hidden_size（{hidden}）：把 proj_size 降到最多 {top}，增大 hidden_"
            "size，或把 proj_size 设为 0。"
        ),
        "dtype": "dtype 必须是 'float32' 或 'float64'；收到 {value!r}。",
        "seed": "seed 必须是 ≥ 0 的整数；收到 {value!r}。",
        "too_many_parameters": (
            "这个层会有 {count:,} 个参数，超过 rnnviz 构建的上限 {top:,}：请减小 hidden_size、input_size 或"
            " num_layers。"
        ),
        "dropout_one_layer": (
            "dropout 只作用于堆叠的层之间：num_layers = 1 时它不起作用（torch 会对此发出警告）。请增大 num_"
            "layers，或把 dropout 设为 0。"
        ),
        "dropout_eval": "dropout 只在训练模式下起作用；评估模式下层会忽略它。切换到训练模式才能看到效果。",
        "dropout_one": "dropout = 1 会把下层的每个输出都置零：上层只看到零。",
        "relu_unbounded": "relu 没有上界：在长序列上隐藏状态可能按几何级数增长。",
        "source": "输入来源必须是 {options} 之一；收到 {value!r}。",
        "features_mismatch": (
            "{source} 输入有 {features} 个特征，但 input_size 是 {input_size}：请把 input_size 设为 {featur"
            "es}。"
        ),
        "unbatched_many": "非批量输入只包含一个序列；这些数据有多个序列：只保留一个，或改为批量输入。",
        "initial_state": "initial_state 必须是 'zeros' 或 'random'；收到 {value!r}。",
        "size_whole": "{name} 必须是 ≥ 1 的整数；收到 {value!r}。",
        "size_too_big": "{name} = {value} 超过 rnnviz 运行的上限（{top}）：请减小它。",
        "lengths_count": "每个序列给一个长度：有 {batch} 个序列，却有 {count} 个长度。",
        "lengths_range": "每个长度都必须在 1..{steps}（填充后的长度）之间；收到 {bad}。",
        "lengths_sorted": "enforce_sorted=True 时长度必须递减：请对批次排序，或关闭 enforce_sorted。",
        "text_empty": "文本为空：请至少输入一个字符。",
        "csv_empty": "CSV 为空：请给出一行表头和至少一行数字。",
        "csv_ragged": "CSV 各行的字段数不同（{detail}）；请让每一行与表头一样长。",
        "csv_unreadable": "无法读取该 CSV（{detail}）。",
        "csv_no_rows": "CSV 只有表头没有数据行：请至少添加一行数字。",
        "csv_no_column": "CSV 中没有列 {column!r}；它的列是 {columns}。",
        "csv_no_features": (
            "除了序列列 {column!r} 之外，CSV 没有特征列：请在它旁边至少添加一列数字（一个特征）。"
        ),
        "csv_none": "请选择一个 CSV 文件（行 = 时间步，列 = 特征，最大 5 MB）。",
        "csv_encoding": (
            "该文件是 {encoding} 文本，不是 UTF-8：请把 CSV 另存为 UTF-8（纯文本；电子表格中的"
            "“CSV UTF-8”）后重新上传。"
        ),
        "csv_binary": (
            "该文件含有 NUL 字节，不是 UTF-8 纯文本（是 UTF-16，还是 .xlsx 之类的电子表格？）："
            "请另存为 UTF-8 CSV（纯文本）后重新上传。"
        ),
        "csv_not_utf8": (
            "该 CSV 不是 UTF-8 文本（位置 {position} 处的字节 {byte}）：请另存为 UTF-8 CSV（纯文本）"
            "后重新上传。"
        ),
        "csv_extra_fields": (
            "CSV 的数据行与表头字段数不同：第 {row} 行有 {fields} 个字段，表头只有 {width} 个。"
            "请在表头中为每一列命名，或删除多余的字段。"
        ),
        "csv_columns": "CSV 有 {count:,} 列，超过 rnnviz 输入层的特征上限 {top}：请减少列数。",
        "csv_no_sequence_id": "CSV 第 {row} 行的序列列 {column!r} 没有值：请给每一行一个序列编号。",
        "csv_sequences": (
            "CSV 有 {count:,} 个序列（{column!r} 的不同取值），超过 rnnviz 一次运行的上限（{top:,}）："
            "请减少序列数。"
        ),
        "csv_long": "CSV 最长的序列有 {count:,} 行，超过 rnnviz 运行的时间步上限 {top:,}：请缩短它。",
        "csv_infinite": (
            "CSV 第 {row} 行、列 {column!r} 处是 {value}：rnnviz 需要有限的数（无穷大，或超出 "
            "float64 约 1.8e308 范围的数，不能输入层）。"
        ),
        "csv_float32_overflow": (
            "CSV 第 {row} 行、列 {column!r} 的值 {value} 超出 float32 的范围（最大约 3.4e38）："
            "请把数据缩小，或把 dtype 设为 float64。"
        ),
        "text_too_long": "文本有 {count:,} 个字符，超过 rnnviz 读取的上限（{top:,}）：请缩短它。",
        "text_lines": (
            "文本有 {count:,} 行（每行一个序列），超过 rnnviz 一次运行的上限（{top:,}）：请减少行数。"
        ),
        "text_line_long": (
            "文本最长的一行有 {count:,} 个字符，超过 rnnviz 运行的时间步上限 {top:,}："
            "请把它分成较短的行。"
        ),
        "text_vocabulary": (
            "文本有 {count:,} 个不同字符，超过 rnnviz 构建的 one-hot 特征上限 {top}：请用不同字符更少的文本。"
        ),
        "input_values": (
            "输入将有 {values:,} 个数（{steps:,} 步 × {sequences:,} 个序列 × {features:,} 个特征，"
            "含填充），超过 rnnviz 构建的上限（{top:,}）：请使用更少或更短的序列，或更少的特征。"
        ),
        "csv_text_cell": "CSV 中应为数字的位置出现了文本：第 {row} 行，列 {column!r} = {value!r}。",
        "csv_nan": "CSV 在第 {row} 行、列 {column!r} 处有缺失值（NaN）：请填上或删除这一行。",
        "packed_2d": "PackedSequence 的 .data 必须是二维的（长度之和, input_size）；收到 {shape}。",
        "input_dims": (
            "输入必须是三维 {layout}，或者单个非批量序列的二维 (seq_len, input_size)；收到形状为 {shape} 的"
            " {dims} 维张量。"
        ),
        "no_steps": "序列长度为 0：请至少给出一个时间步。",
        "empty_batch": "批次为空（批大小为 0）：请至少给出一个序列。",
        "input_features": (
            "输入最后一维有 {features} 个特征，但层的 input_size 是 {input_size}：请让两者相等。"
        ),
        "input_dtype": (
            "输入的 dtype 是 {dtype}，但层的权重是 {weights}：请转换其中之一（x.to({weights}) 或 module.to("
            "{dtype})）。"
        ),
        "input_device": "输入在 {device} 上，但层在 {layer} 上：请移动其中之一。",
        "lstm_pair": "LSTM 的初始状态是一对 (h_0, c_0)。",
        "state_tensor": "{kind} 的初始状态 h_0 是单个张量。",
        "state_type": "{name} 必须是张量；收到 {type}。",
        "state_shape": "{name} 的形状是 {shape}，但这次调用需要 {expected} {dims}。",
        "state_shape_batch_first": (
            "{name} 的形状是 {shape}，但这次调用需要 {expected} {dims}——h_0 从不随 batch_first 改变。"
        ),
        "state_dtype": "{name} 是 {device} 上的 {dtype}；层是 {layer} 上的 {weights}：请转换 {name}。",
        "device_name": "'{requested}' 不是设备名（{detail}）；改用 cpu。",
        "device_missing": "本机没有 {device}（可用：{offered}）；改用 cpu。",
        "task_symbols": "recall 需要 2 到 32 个符号；收到 {value}。",
        "task_series": "序列至少需要 3 行数字：请上传行数更多的 CSV。",
        "task_text_short": "文本至少需要 3 个字符才能预测下一个字符。",
        "task_vocabulary": (
            "文本有 {count} 个不同字符，超过任务 one-hot 编码的上限 {top}：请用更短或更简单的文本。"
        ),
        "task_name": "task 必须是 {options} 之一；收到 {value!r}。",
        "layer_unreadable": "无法把该文件读取为状态字典（{detail}）。",
        "layer_needs_code": (
            "该文件是一个需要执行代码才能载入的 pickle，而 rnnviz 从不运行文件中的代码（{detail}）。"
            "请只保存张量：torch.save(module.state_dict(), path)，或使用 safetensors。"
        ),
        "layer_not_state_dict": (
            "该文件中是一个 {found}，不是由张量组成的状态字典：请改为保存 module.state_dict()。"
        ),
        "layer_none_found": (
            "在前缀 {prefix} 下没有循环层（weight_ih_l0、weight_hh_l0）；文件中的层位于：{found}。"
        ),
        "layer_shapes": (
            "weight_ih_l0 的形状是 {shape}，不是 hidden_size {hidden} 的 1、3 或 4 个块："
            "这不是 nn.RNN、nn.GRU 或 nn.LSTM。"
        ),
        "layer_keys": "参数与它们描述的层不符：缺少 {missing}；多出 {unexpected}。",
        "layer_inconsistent": "参数的形状不属于同一个层：{detail}。",
        "layer_compressed": (
            "文件的 zip 成员经过压缩，而 torch.save 从不压缩：请用 torch.save(module.state_dict(), path) "
            "保存该层并上传那个文件。"
        ),
        "layer_too_big": "该文件解压后会超过 {top} MB：请只保存循环层的状态字典。",
        "layer_layers": "文件中的层编号为 {found}：rnnviz 按顺序读取第 0、1、… 层，最多 {top} 层。",
        "train_peeks": (
            "双向层在预测下一步时会读到下一步本身，任务就什么也学不到："
            "对正弦、序列和文本请关闭 bidirectional，或选择加法问题或延迟回忆。"
        ),
        "train_too_big": (
            "一个训练批次会包含 {values:,} 个数，超过 rnnviz 构建的上限 {top:,}：请减小 seq_len 或批大小，"
            "或使用更少的特征。"
        ),
    },
}


class Message(str):
    """A sentence for a person: the English text as a `str`, plus its key and values."""

    key: str
    values: dict

    def __new__(cls, key: str, **values) -> Message:
        self = super().__new__(cls, TEXTS["en"][key].format(**values))
        self.key, self.values = key, values
        return self

    def text(self, lang: str = "en") -> str:
        """The same message in `lang` ("en" or "zh"; anything else reads English)."""
        return TEXTS.get(lang, TEXTS["en"])[self.key].format(**self.values)


def say(key: str, **values) -> Message:
    """The message `key` with `values` filled in."""
    return Message(key, **values)


def words(message, lang: str = "en") -> str:
    """`message` in `lang` if it is a Message (or an error raised with one), else as it is."""
    if isinstance(message, BaseException):
        message = message.args[0] if len(message.args) == 1 else str(message)
    return message.text(lang) if isinstance(message, Message) else str(message)

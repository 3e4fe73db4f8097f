"""简体中文 sentences of the torch-only core (rnnviz.messages): validation messages, advice,
input, call and layer-file errors."""

MESSAGES = {
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
        "proj_size（{proj}）必须小于 hidden_size（{hidden}）：把 proj_size 降到最多 {top}，增大 hidden_size，"
        "或把 proj_size 设为 0。"
    ),
    "dtype": "dtype 必须是 'float32' 或 'float64'；收到 {value!r}。",
    "seed": "seed 必须是 ≥ 0 的整数；收到 {value!r}。",
    "too_many_parameters": (
        "这个层会有 {count:,} 个参数，超过 rnnviz 构建的上限 {top:,}：请减小 hidden_size、input_size 或 num_l"
        "ayers。"
    ),
    "dropout_one_layer": (
        "dropout 只作用于堆叠的层之间：num_layers = 1 时它不起作用（torch 会对此发出警告）。请增大 num_layers"
        "，或把 dropout 设为 0。"
    ),
    "dropout_eval": "dropout 只在训练模式下起作用；评估模式下层会忽略它。切换到训练模式才能看到效果。",
    "dropout_one": "dropout = 1 会把下层的每个输出都置零：上层只看到零。",
    "relu_unbounded": "relu 没有上界：在长序列上隐藏状态可能按几何级数增长。",
    "source": "输入来源必须是 {options} 之一；收到 {value!r}。",
    "features_mismatch": (
        "{source} 输入有 {features} 个特征，但 input_size 是 {input_size}：请把 input_size 设为 {features}。"
    ),
    "unbatched_many": "非批量输入只包含一个序列；这些数据有多个序列：只保留一个，或改为批量输入。",
    "initial_state": "initial_state 必须是 'zeros' 或 'random'；收到 {value!r}。",
    "size_whole": "{name} 必须是 ≥ 1 的整数；收到 {value!r}。",
    "size_too_big": "{name} = {value} 超过 rnnviz 运行的上限（{top}）：请减小它。",
    "lengths_count": "每个序列给一个长度：有 {batch} 个序列，却有 {count} 个长度。",
    "lengths_range": "每个长度都必须在 1..{steps}（填充后的长度）之间；收到 {bad}。",
    "lengths_sorted": "enforce_sorted=True 时长度必须递减：请对批次排序，或关闭 enforce_sorted。",
    "text_empty": "文本为空：请至少输入一个字符。", "csv_empty": "CSV 为空：请给出一行表头和至少一行数字。",
    "csv_ragged": "CSV 各行的字段数不同（{detail}）；请让每一行与表头一样长。",
    "csv_open_quote": (
        "CSV 中从第 {line} 行开始的那条记录里有一个引号（\"）没有闭合，因此文件其余部分会被读成一个文本字段："
        "请补上闭合的引号，或删掉它。"
    ),
    "csv_unreadable": "无法读取该 CSV（{detail}）。",
    "csv_no_rows": "CSV 只有表头没有数据行：请至少添加一行数字。",
    "csv_no_column": "CSV 中没有列 {column!r}；它的列是 {columns}。",
    "csv_no_features": "除了序列列 {column!r} 之外，CSV 没有特征列：请在它旁边至少添加一列数字（一个特征）。",
    "csv_none": "请选择一个 CSV 文件（行 = 时间步，列 = 特征，最大 5 MB）。",
    "csv_encoding": (
        "该文件是 {encoding} 文本，不是 UTF-8：请把 CSV 另存为 UTF-8（纯文本；电子表格中的“CSV UTF-8”）后重新"
        "上传。"
    ),
    "csv_binary": (
        "该文件含有 NUL 字节，不是 UTF-8 纯文本（是 UTF-16，还是 .xlsx 之类的电子表格？）：请另存为 UTF-8 CSV"
        "（纯文本）后重新上传。"
    ),
    "csv_not_utf8": (
        "该 CSV 不是 UTF-8 文本（位置 {position} 处的字节 {byte}）：请另存为 UTF-8 CSV（纯文本）后重新上传。"
    ),
    "csv_extra_fields": (
        "CSV 的数据行与表头字段数不同：第 {row} 行有 {fields} 个字段，表头只有 {width} 个。请在表头中为每一列"
        "命名，或删除多余的字段。"
    ),
    "csv_columns": "CSV 有 {count:,} 列，超过 rnnviz 输入层的特征上限 {top}：请减少列数。",
    "csv_no_sequence_id": "CSV 第 {row} 行的序列列 {column!r} 没有值：请给每一行一个序列编号。",
    "csv_sequences": (
        "CSV 有 {count:,} 个序列（{column!r} 的不同取值），超过 rnnviz 一次运行的上限（{top:,}）：请减少序列"
        "数。"
    ),
    "csv_long": "CSV 最长的序列有 {count:,} 行，超过 rnnviz 运行的时间步上限 {top:,}：请缩短它。",
    "csv_infinite": (
        "CSV 第 {row} 行、列 {column!r} 处是 {value}：rnnviz 需要有限的数（无穷大，或超出 float64 约 1.8e308 "
        "范围的数，不能输入层）。"
    ),
    "csv_float32_overflow": (
        "CSV 第 {row} 行、列 {column!r} 的值 {value} 超出 float32 的范围（最大约 3.4e38）：请把数据缩小，或把"
        " dtype 设为 float64。"
    ),
    "text_too_long": "文本有 {count:,} 个字符，超过 rnnviz 读取的上限（{top:,}）：请缩短它。",
    "text_lines": "文本有 {count:,} 行（每行一个序列），超过 rnnviz 一次运行的上限（{top:,}）：请减少行数。",
    "text_line_long": (
        "文本最长的一行有 {count:,} 个字符，超过 rnnviz 运行的时间步上限 {top:,}：请把它分成较短的行。"
    ),
    "text_vocabulary": (
        "文本有 {count:,} 个不同字符，超过 rnnviz 构建的 one-hot 特征上限 {top}：请用不同字符更少的文本。"
    ),
    "input_values": (
        "输入将有 {values:,} 个数（{steps:,} 步 × {sequences:,} 个序列 × {features:,} 个特征，含填充），超过 "
        "rnnviz 构建的上限（{top:,}）：请使用更少或更短的序列，或更少的特征。"
    ),
    "csv_text_cell": "CSV 中应为数字的位置出现了文本：第 {row} 行，列 {column!r} = {value!r}。",
    "csv_nan": "CSV 在第 {row} 行、列 {column!r} 处有缺失值（NaN）：请填上或删除这一行。",
    "packed_2d": "PackedSequence 的 .data 必须是二维的（长度之和, input_size）；收到 {shape}。",
    "input_dims": (
        "输入必须是三维 {layout}，或者单个非批量序列的二维 (seq_len, input_size)；收到形状为 {shape} 的 {dims"
        "} 维张量。"
    ),
    "no_steps": "序列长度为 0：请至少给出一个时间步。",
    "empty_batch": "批次为空（批大小为 0）：请至少给出一个序列。",
    "input_features": "输入最后一维有 {features} 个特征，但层的 input_size 是 {input_size}：请让两者相等。",
    "input_dtype": (
        "输入的 dtype 是 {dtype}，但层的权重是 {weights}：请转换其中之一（x.to({weights}) 或 module.to({dtype"
        "})）。"
    ),
    "input_device": "输入在 {device} 上，但层在 {layer} 上：请移动其中之一。",
    "lstm_pair": "LSTM 的初始状态是一对 (h_0, c_0)。", "state_tensor": "{kind} 的初始状态 h_0 是单个张量。",
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
    "layer_damaged": "该文件已损坏或被截断，无法读到结尾：请重新保存；如果上传中断过，请重新上传。",
    "layer_not_torch": (
        "这不是 torch.save 或 safetensors 写出的文件（开头既不是 zip 归档、pickle，也不是 safetensors 头）"
        "：请用 "
        "torch.save(module.state_dict(), path) 保存该层并上传那个文件。"
    ),
    "layer_torchscript": (
        "这是一个 TorchScript 文件（torch.jit.save）：它是程序而不只是权重，而 rnnviz 从不运行文件中的程序"
        "。请改为"
        "保存权重：torch.save(model.state_dict(), path)。"
    ),
    "layer_whole_module": (
        "该文件保存的是整个 pickle 化的模型（{names}），而不只是它的权重：载入它会运行文件中的代码，而 rnnv"
        "iz 从不"
        "这样做。请改为保存权重：torch.save(model.state_dict(), path)，并上传那个文件。"
    ),
    "layer_needs_code": (
        "该文件是一个需要执行代码才能载入的 pickle（{names}），而 rnnviz 从不运行文件中的代码。请只保存张量"
        "：torch.save(module.state_dict(), path)，或使用 safetensors。"
    ),
    "layer_not_state_dict": (
        "该文件中是一个 {found}，不是由张量组成的状态字典：请改为保存 module.state_dict()。"
    ),
    "layer_none_at_all": (
        "该文件有张量（{names}），但没有循环层：rnnviz 查找 weight_ih_l0 和 weight_hh_l0（nn.RNN、nn.LSTM、"
        "nn.GRU），或单元的 weight_ih 和 weight_hh（nn.RNNCell、nn.LSTMCell、nn.GRUCell）。"
    ),
    "layer_none_found": (
        "在 {prefix} 下没有循环层（weight_ih_l0、weight_hh_l0）；文件中的层位于：{found}。"
    ),
    "layer_shapes": (
        "weight_ih_l0 的形状是 {shape}，不是 hidden_size {hidden} 的 1、3 或 4 个块：这不是 nn.RNN、nn.GRU 或"
        " nn.LSTM。"
    ),
    "layer_keys": "参数与它们描述的层不符：缺少 {missing}；多出 {unexpected}。",
    "layer_inconsistent": "参数的形状不属于同一个层：{detail}。",
    "layer_compressed": (
        "文件的 zip 成员经过压缩，而 torch.save 从不压缩：请用 torch.save(module.state_dict(), path) 保存该层"
        "并上传那个文件。"
    ),
    "layer_too_big": "该文件解压后会超过 {top} MB：请只保存循环层的状态字典。",
    "layer_layers": "文件中的层编号为 {found}：rnnviz 按顺序读取第 0、1、… 层，最多 {top} 层。",
    "layer_sparse": "{name} 是稀疏张量，而 rnnviz 读取稠密的浮点权重：请改为保存 tensor.to_dense()。",
    "layer_quantized": "{name} 是量化张量，而 rnnviz 读取浮点权重：请改为保存 tensor.dequantize()。",
    "layer_meta": (
        "{name} 没有数值：该状态字典是从 meta 设备上的模块保存的。请先给模块真实的权重（载入或训练），再保"
        "存它的"
        "状态字典。"
    ),
    "layer_dtype": (
        "{name} 的数值类型是 {dtype}；循环层的权重是实数浮点（float16、bfloat16、float32 或 float64）：请以"
        "其中"
        "一种保存。"
    ),
    "layer_expanded": (
        "{name} 有 {count:,} 个数值，但文件只为它们存了 {stored:,} 字节（扩展或重叠的视图）：请保存真实的张"
        "量，"
        "例如每个都用 tensor.contiguous().clone()。"
    ),
    "layer_not_finite": (
        "{name} 含有 {count:,} 个 NaN 或无穷值，这个层的每个输出都会是 NaN：请检查保存它的训练过程，并保存"
        "权重"
        "有限的状态字典。"
    ),
    "layer_objects": "载入该文件会构建超过 {top:,} 个张量和其他对象：请只保存循环层的状态字典。",
    "layer_over": "这个层超出了页面控件的范围（{detail}）：无法在这里显示。",
    "train_peeks": (
        "双向层在预测下一步时会读到下一步本身，任务就什么也学不到：对正弦、序列和文本请关闭 bidirectional，或"
        "选择加法问题或延迟回忆。"
    ),
    "train_too_big": (
        "一个训练批次会包含 {values:,} 个数，超过 rnnviz 构建的上限 {top:,}：请减小 seq_len 或批大小，或使用"
        "更少的特征。"
    ),
    "class_server_full": (
        "这台服务器已在运行 {most} 个课堂，已达上限：请结束不再使用的课堂，或请服务器管理员调高 "
        "RNNVIZ_CLASS_MAX。"
    ),
    "class_unknown": (
        "这台服务器上没有课堂 {code}（课堂在老师结束它或数小时无人使用后结束）：请核对投影上的代码，或向老"
        "师要"
        "一个新代码。"
    ),
    "class_full": "这个课堂已有 {most} 名学生，已满：请联系老师，或自己探索。",
    "class_not_teacher": "只有老师的浏览器才能改变全班看到的内容。",
    "class_view_too_long": "这个视图的链接太长，无法分享给全班：请减少参数。",
    "class_question_invalid": (
        "问题需要有文字（最多 {text} 个字符）；选择题需要 2 到 {most} 个互不相同的选项，每个最多 {option} "
        "个字符。"
    ),
    "class_question_gone": "老师已换到另一个问题：请回答屏幕上的那个。",
    "class_answer_choice": "请从给出的选项中选择一个。",
    "class_answer_number": "请输入一个数，例如 24 或 0.5。",
    "class_not_member": "请先加入课堂：在侧边栏的“课堂”中输入代码。",
}

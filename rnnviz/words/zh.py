"""Every word the app shows in 简体中文: labels, help texts (help_*), page prose and
plot words (plot_*), as one flat dict. rnnviz.ui.texts.t(key, **values) reads it; the home,
Train and What if pages' words are kept in zh_pages.py and merged in here."""

from rnnviz.words.zh_claims import CLAIMS
from rnnviz.words.zh_class import CLASS
from rnnviz.words.zh_pages import PAGES
from rnnviz.words.zh_text import TEXT

WORDS = {
    "input": "输入", "seq_len": "序列长度 seq_len (L)", "batch_size": "批大小 (N)",
    "lengths_packed": "各序列长度（打包）", "lengths": "各序列长度", "initial_state": "初始状态",
    "text": "文本", "csv_file": "CSV 文件", "sequence_column": "序列列", "view": "视图", "layer": "层",
    "direction": "方向", "sequence": "序列", "step_t": "时间步 t", "play": "播放", "unit": "单元",
    "phase_portrait": "相图", "download_csv": "状态和门（CSV）", "download_json": "配置（JSON）",
    "cmp_matched": "参数量对齐 LSTM", "language": "语言",
    "forward": "0：正向", "reverse": "1：反向", "Shapes": "形状", "Hidden states": "隐藏状态", "Gates": "门",
    "zeros": "零", "random": "随机", "sine": "正弦", "step": "阶跃", "impulse": "脉冲", "csv": "CSV",
    "compare_title": "RNN、LSTM 和 GRU 并排比较", "gradients_title": "梯度能回传多远？",
    "packing_title": "打包序列：填充的代价和打包的修正", "padded_input": "填充后的输入 (L, N, H_in)",
    "packed_data": "打包的 .data {shape}", "h_n_compare": "h_n：打包运行与把填充张量当作满长度运行的比较",
    "unpacked": "pad_packed_sequence(output)：末尾之后为零",
    "by_hand": "**时间步 t = {step}，单元 {unit}，手算**（方括号中为 torch 的值）：",
    "total_parameters": "**参数总数：{count:,}**",
    "proof": "最大 |trace − torch| = {error:.2e} · 运行于 {device} · {ms:.1f} 毫秒 · {gates}",
    "gates_kernel": "门值直接取自 oneDNN 内核的工作区",
    "gates_recomputed": "门值由权重和 torch 的 h 重新计算",
    "gates_mixed": "门值部分取自 oneDNN，部分重新计算",
    "where": "第 {layer} 层，方向 {direction}，序列 {sequence}", "title_h": "h_t，{where}",
    "title_h_heatmap": "h_t（单元 × 时间），{where}", "title_pca": "h_t 轨迹（PCA），{where}",
    "title_c": "细胞状态 c_t，{where}", "title_gates": "门，{where}",
    "grad_input_title": "‖∂h_T/∂x_t‖：最后的状态在多大程度上依赖第 t 步的输入",
    "grad_state_title": "‖∂h_T/∂h_t‖：最后的状态在多大程度上依赖第 t 步的状态",
    "grad_caption": (
        "由 autograd 在真实模块上计算，模块逐步调用（相同种子、相同输入）；每个范数是 h_T 的雅可比矩阵的 Frob"
        "enius 范数，每个单元一次反向传播。"
    ),
    "cmp_caption": "hidden_size {hidden} · {count:,} 个参数 · 最大 |trace − torch| {error:.1e}",
    "cmp_final": "最终状态 h_T：‖h_T‖ = {norm:.3f}，范围 [{low:.3f}, {high:.3f}]", "cmp_h": "{kind}：h_t",
    "cmp_pca": "{kind}：轨迹（PCA）",
    "pack_indices": (
        "**batch_sizes**（每一步仍在进行的序列数）：`{sizes}` · **sorted_indices**：`{sorted}` · **unsorted_i"
        "ndices**：`{unsorted}`"
    ),
    "pack_bad_lengths": "长度必须是 1 到 50 之间、用逗号分隔的整数，例如 6,3,4；收到 {text!r}。",
    "url_notice": "链接中的 {name}={text!r} {error}；改用默认值。", "running": "正在运行该层…",
    "taking_gradients": "正在计算梯度…", "page_compare": "比较三种层", "page_gradients": "随时间的梯度",
    "page_packing": "打包序列",
    "over_budget": (
        "完整追踪这个配置约需 {needed:,.0f} MB，超过了本服务器 {budget:,.0f} MB 的预算。请减小 seq_len、批大"
        "小、hidden_size 或 num_layers。"
    ),
    "input_follows": "input_size 由{source}输入决定：{features}。", "col_name": "名称", "col_shape": "形状",
    "col_dims": "维度", "col_count": "数量",
    "bad_lengths": "长度必须是用逗号分隔的整数，例如 20,12,7；收到 {text!r}。",
    "url_range": "必须在 [{low}, {high}] 之间", "url_number": "不是数字",
    "url_boolean": "必须是 true 或 false", "url_choice": "必须是 {options} 之一",
    "url_device": "不在本服务器上（{names}）", "url_lengths": "必须是用逗号分隔的整数",
    "pack_row": "第 0 层，{direction}", "pack_col": "序列 {sequence}（长度 {length}）",
    "forward_word": "正向", "reverse_word": "反向",
    "help_device": "层在哪里运行。只有本机具备时才会列出 cuda/mps；所选设备不存在时回退到 cpu。",
    "help_dtype": "权重、输入和状态的数值格式。float64 更接近教科书算术；float32 是 torch 的默认值。",
    "help_seed": "torch 随机数生成器的种子：相同的种子给出相同的权重和相同的随机输入。",
    "help_input_size": "H_in：每个时间步的特征数。改变输入的最后一维和 weight_ih_l0 (G·H_cell, H_in)。",
    "help_hidden_size": (
        "H_cell：隐藏状态（以及 LSTM 细胞状态）的特征数。改变 h_0/h_n、output 的最后一维和所有权重。"
    ),
    "help_num_layers": (
        "堆叠层数；第 k 层读取第 k-1 层的输出。改变 h_0/h_n 的第一维 (D·num_layers)，并增加权重。"
    ),
    "help_nonlinearity": "仅 RNN：tanh 让 h 保持在 (-1, 1)；relu 无上界，状态可能随时间增长。形状不变。",
    "help_batch_first": "开启时 input 和 output 为 (N, L, ·) 而不是 (L, N, ·)。h_0、h_n、c_n 永远不变。",
    "help_dropout": "训练模式下，以此概率将除最后一层外每层的输出置零。形状不变。",
    "help_bidirectional": (
        "增加一个从最后一步往回运行的方向。D = 2：output 变为 (L, N, 2·H_out)，h_n 为 (2·num_layers, N, H_out"
        ")。"
    ),
    "help_proj_size": (
        "仅 LSTM：h_t = W_hr (o ⊙ tanh(c_t)) 有 proj_size 个特征（0 = 关闭）。改变 h_0/h_n 和 output，不改变 "
        "c。"
    ),
    "help_source": "输入的内容：随机数、正弦/余弦波、阶跃或脉冲、文本的 one-hot 字符，或上传的 CSV。",
    "help_seq_len": "L：时间步数。不是构造参数：同一个层接受任意长度。改变 input 和 output 的 L。",
    "help_batch_size": "N：并排运行的序列数。改变 input、output、h_0 和 h_n 中的 N。",
    "help_lengths": (
        "每个序列的长度，例如 5,3,2：批次用 pack_padded_sequence 打包，每个序列在自己的末尾停止。"
    ),
    "help_initial_state": "h_0（和 c_0）：不传时 torch 默认为零；随机则从种子抽取。",
    "help_text": "每行是一个序列；每个不同的字符得到一个 one-hot 列，所以 input_size 跟随文本。",
    "help_csv": "行是时间步，列是特征（第一行为表头）。可选的一列标明每行属于哪个序列。",
    "help_sequence_column": "CSV 中标明每行所属序列的列；只有一个序列时留空。",
    "help_view_layer": "查看哪一层（0 是读取输入的那一层）。",
    "help_view_direction": "0 沿时间正向运行；1（仅双向）从最后一步反向运行。",
    "help_view_sequence": "显示批次中的哪个序列。",
    "help_view": (
        "形状：调用中的每个张量和代码；隐藏状态：h（和 c）随时间的变化；门：每个门随时间的变化；如果……会怎样"
        "：改变一个输入值或门偏置。"
    ),
    "help_cmp_matched": (
        "开启：每种层使用让参数量接近 LSTM 的 hidden_size（公平比较）。关闭：共用 hidden_size。"
    ),
    "help_pack_kind": "在打包批次上运行哪种循环层。",
    "gradients_explained": (
        "训练根据末尾的损失在多大程度上依赖很久以前发生的事情来调整权重。在普通的 tanh RNN 中，这种依赖是每一"
        "步一个雅可比矩阵的乘积；当它们的范数小于 1 时依赖呈指数**消失**（曲线在对数坐标上下降），大于 1 时则"
        "**爆炸**（relu 可能如此）。LSTM 的细胞状态和 GRU 的更新门提供了另一条路径，当遗忘（更新）门接近 1 "
        "时（训练或调高门偏置会使它们如此）其雅可比接近恒等；这次运行中是否如此，请看图下的句子。"
    ),
    "packing_explained": (
        "零填充的批次如果当作每个序列都是满长度来运行，会继续在填充上前进：短序列的正向 h_n 是走过填充后的状"
        "态，其反向方向从填充处而不是最后一个真实步开始。打包后，每个序列在自己的末尾停止，反向方向从 t = 长"
        "度 − 1 开始（{starts}）；上表中非零的差值正是填充造成的误差。"
    ),
    "help_step_t": "逐步查看：在每张图中标出的时间步，并在下方手算。", "help_step_back": "后退一个时间步。",
    "help_step_next": "前进一个时间步。",
    "help_step_play": "播放：标记自动逐步前进（约每秒两步），到末尾停止。",
    "help_step_unit": "在所选时间步手算哪个隐藏单元的方程。",
    "help_preset": "{title}。把控件设为这个示例：该层、该形状的输入、随机的 h_0（和 c_0）。",
    "help_language": "所有标签、帮助和说明的语言；链接中的 ?lang=zh 选择简体中文。",
    "help_pca_dims": "在前两个或三个主成分中显示隐藏状态的轨迹。", "plot_time": "时间步 t",
    "plot_unit": "单元", "plot_value": "值", "plot_pc1": "主成分 1", "plot_pc2": "主成分 2",
    "plot_share": "比例", "plot_parameters": "参数", "plot_norm": "雅可比范数",
    "plot_params_title": "每个门块的参数",
    "plot_rows_title": "打包 .data 中保存每个 (序列, t) 的行；空白 = 填充，从不存储",
    "plot_sat_title": "饱和度：距离极限 {near} 以内的值所占比例", "plot_sat_low": "接近下限（0，tanh 为 -1）",
    "plot_sat_high": "接近 1", "plot_layer": "{kind} 第 {layer} 层", "plot_forward": "→ 正向",
    "plot_reverse": "← 反向", "plot_last_layer": "仅最后一层", "plot_side_by_side": "最后一层，两个方向并排",
    "plot_row": "行 = 层·D + 方向", "page_train": "训练一个层", "plot_train_curve": "训练",
    "plot_val_curve": "验证", "plot_training_step": "训练步", "plot_grad_norm": "‖∇‖",
    "What if": "如果……会怎样",
    "help_download_csv": "本次运行的每个状态和门，整理为 CSV（{mb:.2f} MB），可直接保存。",
    "prepare_csv": "准备 CSV（{mb:.1f} MB）",
    "help_prepare_csv": (
        "本次运行的 CSV 较大（约 {mb:.1f} MB）：在你请求时生成，约需一秒，随后此处会出现下载按钮。"
        "在你查看本次运行期间会一直保留。"
    ),
    "preparing_csv": "正在生成 CSV……",
    "help_download_json": "屏幕上的配置（LayerSpec 的字段），JSON 格式。",
    "export_slice": (
        "本次运行的值超过 {limit:,} 个：CSV 只包含屏幕上的第 {layer} 层、方向 {direction}、序列 {sequence} 的"
        "第 0 到 {steps} − 1 步。在上方选择其他项即可导出它们。"
    ),
    "run_queued": "排队中：服务器正忙于其他大型运行；其中一个结束后你的运行就会开始。",
    "server_busy": "服务器的内存目前被其他大型运行占用：请一分钟后再试，或选择更小的配置。",
    "states_chart": "图表", "heatmap": "热图（单元 × 时间）", "lines": "折线（每个单元一条）",
    "trajectory": "轨迹（PCA）", "cell": "细胞状态 c", "saturation": "饱和度直方图",
    "help_chart": (
        "画隐藏状态的哪种图：每个单元随时间的热图、每个单元一条折线、h_t 在前几个主成分中的路径，或 LSTM 的细"
        "胞状态 c。"
    ),
    "help_saturation": "同时显示每个门接近其极限（0 或 1，tanh 为 −1 或 1）的频率。",
    "sidebar_device": "设备 (device)", "sidebar_dtype": "数值类型 (dtype)", "sidebar_seed": "随机种子",
    "device_cpu": "CPU（{machine}，{cores} 核）", "placeholder_lengths": "例如 20,12,7",
    "col_sequence": "序列", "col_row": "行", "plot_seq": "序列 {sequence}", "plot_unit_n": "单元 {unit}",
    "plot_one_block": "h（一个块）",
}
WORDS.update(PAGES)
WORDS.update(TEXT)
WORDS.update(CLAIMS)
WORDS.update(CLASS)

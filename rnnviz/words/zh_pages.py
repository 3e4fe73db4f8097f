"""简体中文 words of the home, Train and What if pages (merged into rnnviz.words.zh.WORDS)."""

PAGES = {
    "train": "训练模式", "page_home": "首页", "home_title": "rnnviz：看见 PyTorch 循环层的内部",
    "home_intro": (
        "rnnviz 用你选择的参数构建真实的 torch `nn.RNN`、`nn.LSTM` 和 `nn.GRU`，运行它们，并用 torch 自己的数"
        "值展示内部发生了什么。**从下面的第 1 步开始**：打开它的视图，看着视图回答问题，再显示答案。"
    ),
    "home_lesson": "从这里开始：45 分钟课堂的课程路线",
    "home_lesson_intro": (
        "七个步骤，每步约六分钟。每一步打开一个配置好的视图，并提出一个看着这个视图就能回答的问题；答案在你打"
        "开开关之前一直隐藏（答案由运行同样的层计算得出）。"
    ),
    "home_examples": "三个可直接打开的示例", "home_pages": "页面",
    "example_layers": "两层堆叠：h_n 为每层保存一个最终状态",
    "example_cell": "LSTM 的两个状态：h_n 和 c_n，每层一个",
    "example_bidirectional": "双向：output 的特征数翻倍，h_n 每个方向多一行",
    "example_call": "`{call}`，输入形状 {shape}",
    "example_button": "示例：{title}",
    "example_short_layers": "2 层，批大小 3", "example_short_cell": "h_n 和 c_n，2 层",
    "example_short_bidirectional": "双向，2 层",
    "show_answer": "显示答案",
    "help_show_answer": "打开之前答案一直隐藏，全班可以先作答；关闭即可再次隐藏。",
    "open_view": "打开这个视图", "open_page": "打开", "example_prints": "输出 `{printed}`",
    "teach_lstm": (
        "每个构造参数都是一个控件；隐藏状态和细胞状态、i、f、g、o 四个门，以及每个张量的形状，可逐个时间步查"
        "看。"
    ),
    "teach_gru": "nn.GRU 的同样内容：重置门、更新门和新状态门 r、z、n 随时间的变化。",
    "teach_rnn": "最简单的循环 h_t = tanh(W_ih x_t + b_ih + W_hh h_(t−1) + b_hh)，可选 tanh 或 relu。",
    "teach_compare": "RNN、LSTM 和 GRU 在同一输入上，使用相同的 hidden_size 或相同的参数量。",
    "teach_gradients": "最后的状态对多久以前的输入有依赖：梯度消失与爆炸，由 autograd 在真实模块上计算。",
    "teach_packing": "长度不同的序列：填充与 pack_padded_sequence，以及 h_n 真正保存的是什么。",
    "lesson_h_n_title": "h_n 保存了什么",
    "lesson_h_n_q": "输入有 {steps} 个时间步，但 h_n 的第一维不是 {steps}。它数的是什么？",
    "lesson_h_n_a": (
        "h_n 是 {h_n}：它的第一维是 D·num_layers = {rows}，每层（每个方向）一个最终状态，每个有 H_out = {h_ou"
        "t} 个特征。每个时间步都在 output {output} 中，但只有最后一层的。"
    ),
    "lesson_bidirectional_title": "两个方向",
    "lesson_bidirectional_q": "设置 bidirectional=True 后，为什么 output 的最后一维翻倍，而 h_n 的不变？",
    "lesson_bidirectional_a": (
        "output 是 {output}：每一步的正向和反向 h 并排放置，所以最后一维是 2·H_out = {output[2]}。h_n 是 {h_n"
        "}：两个方向沿第一维堆叠（2·num_layers = {rows}），所以每一行仍是 H_out = {h_out}。"
    ),
    "lesson_batch_first_title": "batch_first",
    "lesson_batch_first_q": "这里打开了 batch_first。哪些张量把批次放在最前面，哪些没有？",
    "lesson_batch_first_a": (
        "input {input} 和 output {output} 是 (N, L, ·)；h_n {h_n} 仍是 (D·num_layers, N, H_out)：batch_first "
        "从不作用于 h_0、c_0、h_n 和 c_n。"
    ),
    "lesson_impulse_title": "脉冲之后是什么保住了 c",
    "lesson_impulse_q": (
        "脉冲在 t = {onset} 到来。哪个门决定细胞状态 c 有多少被带到下一步？它在这里的值是多少？"
    ),
    "lesson_impulse_a": (
        "遗忘门 f：c_t = f_t ⊙ c_(t−1) + i_t ⊙ g_t。脉冲之后它在各单元上的均值是 {f_mean:.2f}，所以 c 每一步"
        "只保留自身的大约这一比例，脉冲在几步之内就消退了；输入门 i（均值 {i_mean:.2f}）决定新内容进入多少。"
        "这些权重是随机的：训练后的 LSTM 会学会让 f 接近 1。"
    ),
    "lesson_vanishing_title": "梯度消失",
    "lesson_vanishing_q": "沿 tanh RNN 的 ‖∂h_T/∂x_t‖ 曲线从最后一步往回看。在哪一步 t 它降到 1e-6 以下？",
    "lesson_vanishing_a": (
        "在 t = {t}，即最后一步之前 {back} 步。在这一步 LSTM 的范数是 {lstm:.1e}，GRU 的是 {gru:.1e}：随机权"
        "重下它们的梯度也会消退；它们更长的记忆是学出来的，不是天生的。"
    ),
    "lesson_packing_title": "打包去掉了什么",
    "lesson_packing_q": (
        "长度为 {lengths} 的序列被填充到 {steps} 步。打包后的 .data 保留多少行？它去掉了什么？"
    ),
    "lesson_packing_a": (
        "{rows} 行，即长度之和，而不是填充后的 L·N = {padded}：打包去掉了填充，没有任何一步在填充上运行。batc"
        "h_sizes {sizes} 给出每一步仍在运行的序列数。若直接在填充张量上运行，h_n 最多相差 {difference:.2f}。"
    ),
    "lesson_parameters_title": "每种层的参数量",
    "lesson_parameters_q": "在相同的 hidden_size 下，RNN、GRU 和 LSTM 各有多少参数？比例是多少？",
    "lesson_parameters_a": (
        "hidden_size 为 {hidden} 时：RNN {rnn:,}、GRU {gru:,}、LSTM {lstm:,}，比例为 {ratio}：RNN 一个权重块"
        "，GRU 的 r、z、n 三个，LSTM 的 i、f、g、o 四个。"
    ),
    "help_bias": "关闭时层没有 b_ih 和 b_hh：参数更少，零输入时每个门都经过零点。",
    "help_train": "训练模式打开 dropout（module.train()）；评估模式（module.eval()）关闭它。其他不变。",
    "train_title": "训练一个层：看着它学习",
    "train_intro": (
        "一个真实的 torch 层（每个构造参数都可调）加上一个线性读出层，用 Adam 学习一个小任务，你可以实时观看"
        "。加法问题和延迟回忆需要跨越整个序列的记忆：按“长记忆实验”，让 RNN、LSTM 和 GRU 比赛，"
        "看哪种层能记住。训练结束后，训练步滑块会显示每个检查点上，该层在一条固定序列上的状态和门。"
    ),
    "task": "任务", "symbols": "符号数 (K)", "learning_rate": "学习率（Adam）", "train_steps": "训练步数",
    "clip": "梯度裁剪（最大范数）", "training_checkpoint": "训练步", "race_run": "运行", "adding": "加法问题",
    "recall": "延迟回忆", "series": "你的序列（CSV）",
    "help_task": (
        "加法：求两个被标记的值之和（总是回答 1.0 的 MSE ≈ 0.167）。延迟回忆：在最后一步说出第 0 步显示的符号"
        "（随机猜测的正确率为 1/K）。正弦、序列、文本：预测下一步。"
    ),
    "help_train_kind": "学习的循环层：nn.RNN、nn.LSTM 或 nn.GRU，用下面的参数构建。",
    "help_symbols": "延迟回忆：要记住的符号有多少种；随机猜测有 1/K 的概率正确。",
    "help_lr": "Adam 的步长。太大时损失上下跳动；太小时几乎不动。",
    "help_train_seq_len": "每条训练序列的步数。更长的序列能区分各种层：普通 RNN 的记忆比 LSTM 早得多地消退。",
    "help_train_batch_size": "每个训练步的序列数；批次越大，损失曲线越平滑。",
    "help_steps": "一次运行中优化器的步数（服务器会在时间上限到达时停止任何运行）。",
    "help_clip": (
        "梯度范数超过此值时按比例缩小（0 = 关闭）；梯度范数图显示裁剪前的范数，可以看到裁剪压住的尖峰。"
    ),
    "help_train_text": "下一个字符：层逐个字符读取文本并预测下一个字符。",
    "help_train_csv": "你自己的序列：行是时间步，列是特征（第一行为表头）；会被标准化。",
    "help_checkpoint": "参数在大约十二个对数间隔的步上被保存：选一个，看看那时层的内部。",
    "help_run": "查看比赛中哪一次运行的内部。", "train_start": "训练", "train_race": "三种层比赛",
    "train_stop": "停止", "help_train_start": "从带种子的初始状态训练所选的层；运行时图表会更新。",
    "help_train_race": (
        "在同一任务和种子上依次训练 RNN、LSTM 和 GRU，使用相同的 hidden_size 或（上面的开关）LSTM 的参数量，"
        "并叠加它们的损失曲线。"
    ),
    "help_train_stop": "停止运行；已经学到的内容保留供查看。",
    "train_full": "服务器已经在运行 {slots} 个训练，达到同时允许的上限：请一分钟后再试。",
    "train_hint": "选择一个任务和一个层，然后按“训练”（或让三种层比赛）。",
    "train_need_csv": "序列任务需要一个 CSV：请上传（行是时间步，列是特征）。",
    "train_running": "训练中… 第 {done} 步，共 {total} 步", "train_finished": "{done} / {total} 步",
    "train_error": "训练因错误停止：{error}", "train_end_done": "运行完成了所有步数。",
    "train_end_stopped": "运行已被停止。",
    "train_end_time": "运行达到了服务器每次运行 {seconds:.0f} 秒的上限。",
    "loss_title": "损失（实线：训练，滑动平均；点线：固定的验证批次）", "loss": "损失",
    "accuracy_title": "验证准确率（虚线：随机猜测，{chance:.2f}）", "accuracy": "准确率",
    "grad_title": "裁剪前的梯度范数（虚线：裁剪阈值）",
    "probe_where": "第 0 层，正向，一条固定序列，训练 {step} 步后",
    "probe_caption": "{task} 探测序列经过该检查点的层 · 最大 |trace − torch| = {error:.1e}",
    "teach_train": (
        "真实的层实时学习一个记忆任务：损失、梯度范数，以及每个检查点上的状态和门；RNN、LSTM 和 GRU 比赛。"
    ),
    "perturb_t": "要改变的时间步 t", "perturb_feature": "特征 k", "perturb_delta": "δ（加到 x[t, k] 上）",
    "bias_shift": "门偏置 + b", "own_layer": "状态字典（.pt、.pth、.ckpt、.bin、.safetensors）",
    "own_prefix": "文件中的层",
    "help_perturb_t": "哪个时间步的输入值被改变；它之后的每个状态（反向方向中还有之前的）都可能改变。",
    "help_feature": "改变哪个输入特征 x[t, k]。",
    "help_delta": "加到 x[t, k] 上的量。真实模块会在改变后的输入上再运行一次。",
    "help_bias_shift": (
        "加到每一层、每个方向的遗忘门（LSTM）或更新门（GRU）偏置上：即“遗忘门偏置设为 1”的技巧（Jozefowicz 等"
        "，2015）。"
    ),
    "help_own_layer": (
        "nn.RNN、nn.LSTM 或 nn.GRU（或它们的单元）的状态字典，可以单独保存，也可以在更大模型的检查点中（如 "
        "Lightning 的 .ckpt、.bin）。用 "
        "torch.load(weights_only=True) 读取：文件中的任何内容都不会被执行。"
    ),
    "help_own_prefix": "文件中有多个循环层：按键前缀选择一个，例如 encoder.rnn.。",
    "whatif_perturb_title": "改变一个输入值：接下来会发生什么？",
    "whatif_needs_padded": "改变单个值需要填充后的批次：清空各序列长度即可使用。",
    "whatif_row": "第 {layer} 层 {arrow}",
    "whatif_dh_title": "x[{t}, {feature}] += {delta} 之后的 Δh：每一层、每个方向",
    "whatif_dc_title": "Δc，细胞状态", "whatif_measured": "‖Δ output_s‖，实测",
    "whatif_linear": "‖J_s·δ‖，线性预测（autograd）",
    "whatif_curve_title": "改变能传多远，t 之后（对数坐标）", "whatif_norm": "范数",
    "whatif_bias_title": "移动 {gate} 门的偏置：一个脉冲能持续多久？",
    "whatif_no_bias": "这个层没有偏置（bias 关闭）：没有门偏置可以移动。", "whatif_bias_before": "原样",
    "whatif_bias_after": "偏置 + {amount:g}",
    "whatif_impulse_title": "t = {onset} 处脉冲之后的 ‖Δ{state}_t‖，第 0 层正向（对数坐标）",
    "whatif_kept": (
        "脉冲在 {state} 中保持在峰值的 {share:.0%} 以上：原样 {before} 步，移动偏置后 {after} 步。"
    ),
    "own_layer_title": "你自己的层（状态字典）", "own_prefix_none": "（顶层）",
    "own_layer_found": "找到 nn.{kind}({args})；现在这里运行的是它的权重。",
    "own_layer_other_kind": (
        "这个文件中是 nn.{kind}，而这里是 nn.{page} 页面：请打开 nn.{kind} 页面并在那里载入。"
    ),
    "whatif_at_start": "改变发生在第一步：之前没有任何步。",
    "whatif_before": "在 t 之前，正向方向的变化恰好为 {forward:g}：它们还没有读到 x[t]。",
    "whatif_before_both": (
        "在 t 之前，第 0 层正向方向的变化恰好为 {forward:g}；反向方向最多变化 {reverse:.3g}（它们从序列末尾开"
        "始读）；第 0 层以上的正向方向最多变化 {upper:.3g}，因为它们读取下面一层的反向方向。"
    ),
    "own_layer_cell": (
        "该文件保存的是一个单元（nn.{kind}Cell）：它的权重恰好就是单层 nn.{kind} 第 0 层的权重，这里用它逐"
        "步运行"
        "整个序列。"
    ),
    "own_layer_dtype": "该文件保存的是 {stored} 权重；这里按侧边栏的 dtype 以 {runs} 运行：{exact}",
    "own_layer_exact": "每个数值都精确保留。",
    "own_layer_rounded": "每个数值都会被舍入，在侧边栏选择 {stored} 即可精确运行。",
    "own_layer_nonlinearity": (
        "状态字典不会说明 nn.RNN 用的是 tanh 还是 relu：请在下面选择它的 nonlinearity。"
    ),
    "own_layer_input": (
        "你的层读取 input_size = {layer}，而 {source} 输入有 {data} 个特征：请选择有 {layer} 个特征的输入（随"
        "机、正弦、阶跃、脉冲）。"
    ),
}

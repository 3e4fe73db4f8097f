"""老师带领的课堂和投影视图的文字（简体中文，并入 zh.WORDS）。"""

CLASS = {
    "class_resume_key": "教师密钥（用于重新带领）", "class_resume": "重新带领这个课堂",
    "class_keep_key": "教师密钥",
    "help_class_resume_key": (
        "开始课堂的浏览器侧边栏中“教师密钥”下的密钥。与上面的加入代码一起，可在刷新页面后或换一个浏览器时重新带领课堂。"
    ),
    "help_class_resume": "如果教师密钥属于这个课堂，就用这个加入代码重新带领它。",
    "help_class_keep_key": (
        "显示一个密钥：刷新页面后或在另一个浏览器中，可用它重新带领这个课堂。请把它复制到私密的地方。学生永远看不到它；"
        "不要在投影仪上打开它。"
    ),
    "class_title": "课堂", "class_start": "开始一个课堂", "class_join_code": "加入代码",
    "class_join": "加入", "class_end": "结束课堂", "class_leave": "离开课堂",
    "class_follow": "跟随老师", "class_show_join": "向全班显示加入代码",
    "class_teacher_code": "你正在带领课堂 **{code}**。学生在 `{url}` 加入。",
    "class_student_code": "你在课堂 **{code}** 中。",
    "class_following": "你的页面跟随老师的页面。关闭此项即可自己探索。",
    "class_exploring": "你在自己探索。打开此项即可重新跟随老师。",
    "class_join_big": "加入课堂：**{code}**",
    "class_join_where": "扫描二维码，或打开 {url}，在侧边栏的“课堂”中输入代码。",
    "class_teacher_gone": "老师的页面已关闭 {seconds} 秒。你的页面停在这里；老师回来后会继续跟随。",
    "class_ended": "课堂已结束，或这里不认识它的代码：{reason}",
    "class_ask_what": "要问的问题", "class_own_question": "我自己的问题",
    "class_q_text": "你的问题", "class_q_options": "选项（用逗号分隔）",
    "class_q_answer": "答案（可选）", "class_ask": "向全班提问",
    "class_question": "向全班提问：", "class_your_answer": "你的答案",
    "class_your_number": "你的答案（一个数）", "class_send": "提交",
    "class_sent": "已提交：{value}。在老师换题之前可以修改。",
    "class_answered_count": "已有 **{answered}** 人回答",
    "class_reveal": "显示答案", "class_answer_is": "答案：{answer}",
    "class_no_answer": "这个问题在这里没有计算出的答案。",
    "plot_answers": "回答数",
    "present": "投影视图",
    "present_controls": "控件",
    "help_class_start": (
        "从这个浏览器开始一个课堂：你会得到一个加入代码和可投影的二维码；加入的学生会看到你所在的页面，你还"
        "可以"
        "向他们提问。"
    ),
    "help_class_join_code": "老师屏幕上的六个字符，例如 K7P2QX。",
    "help_class_join": "用这个代码加入课堂：之后你的页面会跟随老师的页面。",
    "help_class_end": "为所有人结束课堂：学生的页面不再跟随，代码也不再有效。",
    "help_class_leave": "离开课堂：你的页面不再跟随，你也不再回答问题。",
    "help_class_follow": "打开：你的页面随老师的页面和设置移动。关闭：你自己探索；再次打开即可跟上。",
    "help_class_show_join": "在页面上方大字显示加入代码和二维码，供投影使用。",
    "help_class_ask_what": "课程路径中的一个问题（答案由运行这些层计算得出），或你自己输入的问题。",
    "help_class_q_text": "学生将看到的问题（最多 300 个字符）。",
    "help_class_q_options": "两到六个选项，用逗号分隔，例如 f, i, o。留空则要求回答一个数。",
    "help_class_q_answer": "在你揭晓时显示；如果没有唯一正确答案就留空。",
    "help_class_ask": "现在向全班提问：回答会实时、匿名地统计。",
    "help_class_answer": "匿名：老师只看到每个答案有多少人选择。",
    "help_class_send": "提交你的答案；再次提交会替换它。",
    "help_class_reveal": "在投影和每个学生的页面上显示正确答案。",
    "help_present": "用于投影：图表占满屏幕，控件折叠在上方，文字更大。与链接中的 ?present=1 相同。",
    "poll_h_n": "h_n 的第一个维度数的是……",
    "poll_h_n_steps": "时间步", "poll_h_n_layers": "层数 × 方向数", "poll_h_n_batch": "序列数",
    "poll_h_n_units": "隐藏单元数",
    "poll_bidirectional": "当 bidirectional=True 时，这里 output 的最后一维是多少？",
    "poll_batch_first": "当 batch_first=True 时，哪些张量把批维放在最前？",
    "poll_bf_in_out": "input 和 output", "poll_bf_all": "input、output 和 h_n", "poll_bf_in": "只有 input",
    "poll_impulse": "哪个门决定 c 有多少被带到下一步？",
    "poll_gate_f": "f（遗忘门）", "poll_gate_i": "i（输入门）", "poll_gate_g": "g（候选细胞）",
    "poll_gate_o": "o（输出门）",
    "poll_vanishing": "tanh RNN 的 ‖∂h_T/∂x_t‖ 在哪一步 t 降到 1e-6 以下？",
    "poll_packing": "打包后的 .data 保留多少行？",
    "poll_parameters": "这里 LSTM 有多少个参数？",
    "train_queued": (
        "你的训练在排队：队列中第 {place} 位（同时运行 {slots} 个），最多约 {seconds:.0f} 秒。与其他同学的"
        "设置相同？"
        "那样你会立即看到他们的那次训练。"
    ),
    "train_shared": "另有 {others} 个页面在看同一次训练：它只为你们所有人运行一次。",
    "race_parameters": "参数数", "race_final": "最终验证损失", "race_learned": "学会了吗",
    "race_steps": "步数", "race_seconds": "秒", "yes": "是", "no": "否", "race_none": "没有",
    "race_baseline_mse": "常数答案的损失 {value:.3f}（虚线）",
    "race_baseline_classes": "随机猜测的准确率 {value:.0%}（虚线）",
    "race_verdict": (
        "**{best}** 的最终损失最低。学会了的（验证损失低于{baseline}的十分之一；分类任务则准确率达到从猜测"
        "到完美的一"
        "半）：{learned}。"
    ),
    "train_long_memory": "长记忆实验",
    "help_train_long_memory": (
        "设置 seq_len 为 {seq_len} 的加法问题（hidden_size {hidden_size}、批次 {batch_size}、学习率 {lr}、"
        "{steps:,} 步、遗忘门/更新门偏置 1），并用侧边栏的种子依次训练 RNN、LSTM 和 GRU。"
    ),
    "train_long_memory_what": (
        "seq_len 为 {seq_len} 的加法问题：{seq_len} 步中被标记的两个值必须一直记到最后一步。tanh RNN 从答案"
        "传回被标记步的梯度消失了，所以它停在常数答案（虚线）上；LSTM 的细胞状态和 GRU 的更新门把这两个值带到"
        "最后，它们的损失远远低于虚线。"
    ),
    "train_forget_bias": "门偏置 1（f、z）",
    "help_train_forget_bias": (
        "让 LSTM 的遗忘门 f 和 GRU 的更新门 z 以偏置 1 开始（bias_hh[H:2H] = 1，bias_ih[H:2H] = 0，每一层）"
        "：σ(1) ≈ 0.73，所以从第一步起每个门都保留大部分状态，梯度能传得更远。nn.RNN 没有门：对它无效。"
    ),
    "train_baseline_line": "常数答案（{value:.3f}）",
    "train_chance_line": "随机猜测（{value:.0%}）",
}

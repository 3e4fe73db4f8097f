"""描述图表的句子（由 rnnviz.claims 的数字经 rnnviz.ui.claims 写成）及易读图表的用词，并入
rnnviz.words.zh.WORDS。"""

CLAIMS = {
    "list_sep": "、", "list_last": "、", "sentence_sep": "",
    "steps_n": "{n} 步", "steps_1": "1 步",
    "grad_claim_item": "{name} 在 t = {t}（往回 {back}）",
    "grad_claim_fall": "从最后一步（t = {last}）往回看，‖∂h_T/∂x_t‖ 降到 {threshold} 以下的位置：{items}。",
    "grad_claim_never": "{names} 在这 {steps} 步内始终没有降到 {threshold} 以下。",
    "grad_claim_none": (
        "在这 {steps} 步内没有一条 ‖∂h_T/∂x_t‖ 曲线降到 {threshold} 以下：增大 seq_len 来观察梯度消失。"
    ),
    "grad_claim_longest": "保持最久：**{names}**；最先消失：**{first}**。",
    "grad_claim_longest_never": "保持最久：**{names}**，在整个窗口内都高于 {threshold}。",
    "grad_claim_same": "所有曲线在同一步降到 {threshold} 以下。",
    "grad_claim_vs": "与 tanh RNN 相比：{items}。",
    "grad_claim_longer": "{name} 多保持 {n}", "grad_claim_shorter": "{name} 少保持 {n}",
    "grad_claim_level": "{name} 在同一步",
    "grad_claim_close": (
        "都相差不超过 {n}：这里门控类型下降的速度与 tanh RNN 大致相同；随机权重下它们更长的记忆不是"
        "天生的（它是学出来的，或由遗忘门的偏置决定）。"
    ),
    "grad_claim_far": "所以这里门控类型保持梯度的时间明显比 tanh RNN 长。",
    "kept_for": "{n}", "kept_to_end": "一直到窗口结束（t = {last}）",
    "whatif_kept_claim": (
        "脉冲在 {state} 中保持在峰值的 {share:.0%} 以上：原样 {before}，偏置 + {amount:g} 后 {after}："
        "{verdict}。"
    ),
    "kept_longer": "移动偏置让它保持得更久", "kept_shorter": "移动偏置让它消退得更快",
    "kept_same": "移动偏置对它持续的时间影响不到一步",
    "kept_both_end": "两者都持续到窗口结束之后",
    "plot_pc3": "主成分 3", "plot_at_t": "t = {t}",
    "plot_sat_none": (
        "{count:,} 个门值中 0 % 饱和<br>（σ 门：低于 {near} 或高于 {high}；<br>"
        "tanh 门：超出 ±{high}）"
    ),
    "plot_sat_some": "{count:,} 个门值中有 {share:.1%} 距离极限 {near} 以内",
}

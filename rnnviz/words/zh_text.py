"""文本视图（rnnviz.ui.text_view）的中文用语，并入 rnnviz.words.zh.WORDS。"""

TEXT = {
    "Text": "文本", "plot_text_title": "文本下的单元",
    "text_mode": "显示", "Units": "单元", "Find cells": "寻找单元", "Match pattern": "匹配模式",
    "help_text_mode": (
        "单元：在文本下显示你选的单元。寻找单元：按与文本某个特征的相关性给每个单元排序。"
        "匹配模式：找出在一段字符上都激活的单元再次同时激活的位置。"
    ),
    "text_state": "状态", "help_text_state": "用哪些数给字符着色：隐藏状态 h、LSTM 的细胞状态 c，或某个门。",
    "text_units": "单元", "help_text_units": (
        "每选一个单元，每行文本下就多一行颜色；把鼠标移到字符上可看到它的值。"
    ),
    "text_page": "页", "help_text_page": "长文本每次只画几行：选择要画哪几行。",
    "text_feature": "文本特征", "help_text_feature": (
        "逐字符与单元比较的量：是否在双引号内、括号深度、在行中的位置、是否为词首、是否为数字，"
        "或你的正则表达式匹配到的字符。"
    ),
    "quotes": "在“引号”内", "brackets": "括号深度", "column": "行内位置",
    "word_start": "词首", "digit": "数字", "regex": "正则表达式",
    "text_regex": "正则表达式", "help_text_regex": (
        "一个 Python 正则表达式；被它匹配的字符记为 1，其余记为 0。"
    ),
    "text_top": "显示最佳单元数", "help_text_top": (
        "画出多少个最佳单元（|相关系数| 最大者，涵盖每一层、每个方向的 h 和 c）。"
    ),
    "text_span": "选中的字符", "help_text_span": "定义模式的字符区间，以字符位置表示（即悬停时显示的编号）。",
    "text_threshold": "激活阈值", "help_text_threshold": (
        "单元的值不低于此阈值即视为激活；模式是在每个选中字符处都激活的那些单元。"
    ),
    "text_bad_regex": "无法读取这个正则表达式：{error}",
    "text_no_text": "文本视图读取独热编码的文本：请把输入选为“文本”。",
    "text_ranked": "按与 **{feature}** 的相关性（皮尔逊 r，共 {count} 个字符）排序的单元：",
    "text_rank_row": "| {rank} | `{unit}` | {r:+.3f} |",
    "text_rank_head": "| # | 单元 | r |\n|--:|---|--:|",
    "text_constant": "这个特征在本文本中没有变化，因此没有单元与之相关。",
    "text_pattern_units": "有 {count} 个单元在整个区间上激活：{units}",
    "text_pattern_none": "没有单元在每个选中字符处都不低于 {threshold}：请降低阈值或选短一些的区间。",
    "text_matches": "另有 {count} 处它们全部激活（已加框）：",
    "text_match_row": "- 字符 {start}–{stop}：`{snippet}`",
    "text_caption": (
        "每个字符的底色是单元读入该字符后的值，直接取自追踪结果（蓝为高，红为低，白为 0；"
        "每行各自缩放，至少 ±1）。序列之间的换行不是时间步。"
    ),
    "text_read": "在文本下阅读这一层", "help_text_read": (
        "用这个检查点的层追踪一段未参与训练的文本，并在文本视图中打开：按单元给字符着色，找出跟踪引号或括号的单元。"
    ),
    "text_held_out": "未参与训练的文本（{count} 个字符），由第 {step} 步的层读取：",
    "text_corpus": "语料", "help_text_corpus": (
        "你输入的文本，或一段生成的、带嵌套括号和引号字符串的文本（每台机器上都一样）。"
    ),
    "typed": "输入的文本", "generated": "生成的代码（引号、括号）",
    "text_preset": "引号与括号单元预设", "help_text_preset": (
        "LSTM，hidden_size 64，seq_len 64，批量 32，学习率 0.01，在生成的语料上训练 1500 步：实测之后有一个"
        "单元在未参与训练的文本上跟随引号或括号深度，|r| 为 0.72 到 0.81（种子 0、1、2）。"
    ),
}

"""Chinese terms (issue #15): one term per concept across the Chinese modules, glossary, quiz, facilitator guide,
case data and interface (docs/reference/languages.md, "Chinese terms"); the variants left by the two readings and
the fresh quiz appear nowhere. The glossary (exercises/zh/glossary.yaml) holds the term each variant gives way to."""
from __future__ import annotations

import re

from language_texts import language_strings

# a variant that must not appear → the term the Chinese content uses for that concept
VARIANTS = {
    r"重要性[–—\-－]?投入(?:网格|分析)?": "重要性–表现分析 / 重要性–表现网格 (the glossary's term; Module 4's axis is 投入)",
    r"重要性[–—\-－]?表现(?:矩阵|图)": "重要性–表现网格",
    r"一线人员": "一线员工 (the glossary's term)",
    r"开动率": "可用率 (availability, the renewal's 可用性合同)",
    r"(?<!接)触点": "接触点",
    r"专家答案": "标准答案 (Module 4's classification key)",
    r"技术型(?!销售)": "技术与运营型 (the manager profile; 技术型销售 is a salesperson)",
    r"偏重的关系|各关系得分": "纽带 (the servuction triangle's three links, Module 6)",
    r"附加服务层": "附加的服务层 (the glossary's term)",
}


def test_chinese_texts_use_one_term_per_concept():
    found = [f"{where}: 「{m.group()}」 (use {term})"
             for where, text in language_strings("zh")
             for pattern, term in VARIANTS.items()
             for m in re.finditer(pattern, text.replace("\n", ""))]
    assert not found, "\n".join(found)


def test_every_variant_pattern_matches_what_it_forbids():
    samples = ["Polarfix 的“重要性–投入”网格", "重要性-表现矩阵", "我方一线人员", "设备开动率", "每个触点",
               "与专家答案一致", "技术型经理",
               "偏重的关系：专业掌控", "关于附加服务层的段落"]
    assert [any(re.search(p, s) for s in samples) for p in VARIANTS] == [True] * len(VARIANTS)


def test_kept_terms_are_not_caught():
    kept = ["重要性–表现分析", "重要性–表现网格", "重要性与投入", "一线员工", "可用率", "可用性合同", "接触点",
            "标准答案", "技术与运营型", "一位可信的技术型销售",
            "偏重的纽带：关系", "关系纽带", "附加的服务层"]
    assert [s for s in kept if any(re.search(p, s) for p in VARIANTS)] == []

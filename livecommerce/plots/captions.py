"""Captions of the figures the notebooks publish (the report's own where it prints the figure), and the settings
that go into the 来源 line of a figure computed for this report; both in Chinese or English."""

from collections.abc import Mapping
from pathlib import PurePath

from livecommerce import arguments
from livecommerce.errors import ParameterError
from livecommerce.plots.theme import check_lang, computed, measure, table_source, text
from livecommerce.study.study import Study
from livecommerce.vocab import INDEX_TABLES, LEVELS

__all__ = [
    "AGGREGATION_NAMES",
    "CAPTIONS",
    "METHOD_NAMES",
    "NORMALISATION_NAMES",
    "SCOPES",
    "SETTINGS",
    "caption",
    "choice_name",
    "settings",
    "study_source",
]

SCOPES = {
    "province": {"zh": "全国省、直辖市和自治区", "en": "the provinces"},
    "city": {"zh": "全国15个副省级城市", "en": "the 15 sub-provincial cities"},
    "prefecture": {"zh": "四川21个市（州）", "en": "Sichuan's 21 prefectures"},
}
"""What a level's figures cover, as the report's table titles say it."""

CAPTIONS = {
    "market": {"zh": "直播电商市场规模", "en": "Size of the live-commerce market"},
    "users": {"zh": "网络购物用户与电商直播用户规模", "en": "Online shoppers and live-commerce users"},
    "share": {"zh": "直播电商销售额占网上零售额比重", "en": "Live commerce's share of online retail sales"},
    "cross_border": {"zh": "跨境直播电商市场规模", "en": "Cross-border live-commerce market"},
    "talent_gap": {"zh": "直播行业专业人才缺口", "en": "Professional talent gap in the live-streaming industry"},
    "ranked": {"zh": "{scope}直播电商发展指数", "en": "Live-commerce development index of {scope}"},
    "slope": {
        "zh": "{scope}直播电商发展指数：上年与2023年前三季度",
        "en": "Development index of {scope}: previous year and 2023 Q1–Q3",
    },
    "slope_editions": {
        "zh": "{scope}直播电商发展指数：上一版与本版",
        "en": "Development index of {scope}: previous and this edition",
    },
    "growth": {"zh": "{scope}直播电商发展指数同比增长", "en": "Year-on-year growth of the index, {scope}"},
    "map": {"zh": "{scope}直播电商发展指数分布", "en": "Map of the development index, {scope}"},
    "contributions": {
        "zh": "{scope}直播电商“人”指标：各分项的加权贡献",
        "en": "People (人) index of {scope}: weighted contributions of its sub-indices",
    },
    "profile": {"zh": "{scope}直播电商各项指标", "en": "Every measure of {scope}"},
    "scatter": {"zh": "{scope}直播电商“人”“货”“场”指标", "en": "People, goods and venue of {scope}"},
    "top5": {"zh": "川货电商节“川茶”“川酒”“川调”指标TOP5", "en": "Sichuan tea, liquor and seasonings: top 5"},
    "dual_centre": {"zh": "直播电商的双中心模型", "en": "The dual-centre model of live commerce"},
    "recovered_weights": {
        "zh": "“人”指标分项权重的反推估计（95%置信区间）",
        "en": "Recovered weights of the people (人) sub-indices (95% intervals)",
    },
    "correlation": {"zh": "{scope}各项指标的相关系数", "en": "Correlations between the measures, {scope}"},
    "rank_intervals": {"zh": "{scope}排名的不确定性", "en": "Rank uncertainty of {scope}"},
    "outranking": {"zh": "{scope}两两排名先后的概率", "en": "Pairwise outranking probabilities, {scope}"},
    "sobol": {"zh": "{scope}排名平均变动的Sobol'敏感性指数", "en": "Sobol' indices of the mean rank shift, {scope}"},
    "tornado": {"zh": "{region}排名随单项权重变动的范围", "en": "Rank range of {region} as each weight moves"},
    "coherence": {
        "zh": "{scope}各分项与上级指标的相关系数",
        "en": "Correlation of each component with its parent, {scope}",
    },
    "unit_profile": {"zh": "{region}各项指标的得分、排名与贡献", "en": "{region}: scores, ranks and contributions"},
    "importance": {
        "zh": "{scope}各分项的有效重要性与名义权重",
        "en": "Effective importance against nominal weight, {scope}",
    },
}
"""Every published figure's caption, without its number (the edition numbers figures 图N)."""

METHOD_NAMES = {
    "nominal": {"zh": "方案权重", "en": "scheme weights"},
    "equal": {"zh": "等权", "en": "equal"},
    "entropy": {"zh": "熵权法", "en": "entropy"},
    "entropy_raw": {"zh": "熵权法（原始得分）", "en": "entropy (raw scores)"},
    "critic": {"zh": "CRITIC法", "en": "CRITIC"},
    "coefficient_of_variation": {"zh": "变异系数法", "en": "coefficient of variation"},
    "pca": {"zh": "主成分分析法", "en": "PCA"},
}
"""Weighting methods by name (the switchable ones of :data:`livecommerce.index.model.WEIGHTING_CHOICES`)."""

NORMALISATION_NAMES = {
    "published": {"zh": "报告公布的分项指数", "en": "published sub-indices"},
    "efficacy": {"zh": "功效系数法（60–100）", "en": "efficacy (60–100)"},
    "minmax": {"zh": "极差标准化", "en": "min–max"},
    "zscore": {"zh": "Z分数标准化", "en": "z-score"},
    "rank_score": {"zh": "排序得分", "en": "rank score"},
    "percentile": {"zh": "百分位得分", "en": "percentile"},
    "distance_to_leader": {"zh": "与领先者的距离", "en": "distance to leader"},
}
"""Normalisations by name (:data:`livecommerce.index.normalise.NORMALISATIONS`, and the published scores)."""

AGGREGATION_NAMES = {
    "nominal": {"zh": "按指标体系", "en": "as the scheme says"},
    "arithmetic": {"zh": "算术平均", "en": "arithmetic mean"},
    "geometric": {"zh": "几何平均", "en": "geometric mean"},
    "harmonic": {"zh": "调和平均", "en": "harmonic mean"},
}
"""Aggregations by name (:data:`livecommerce.index.model.AGGREGATION_CHOICES`)."""


def choice_name(names: dict, key: str, lang: str | None = None) -> str:
    """``key``'s name in ``lang`` from one of the catalogues above (the key itself where it has none)."""
    return names.get(key, {}).get(check_lang(lang), key)


SETTINGS = {
    "monte_carlo": {
        "zh": "蒙特卡洛模拟{draws:,}次，随机种子{seed}；权重服从狄利克雷分布（集中度{concentration:g}）；"
        "权重方法：{methods}",
        "en": "Monte Carlo, {draws:,} draws, seed {seed}; Dirichlet weights (concentration {concentration:g}); "
        "weighting methods: {methods}",
    },
    "sobol": {
        "zh": "Sobol'样本{n}×（输入数+2）次模型运行，随机种子{seed}，自助法重抽样{resamples}次",
        "en": "Sobol' sample of {n} × (inputs + 2) model runs, seed {seed}, {resamples} bootstrap resamples",
    },
    "sweep": {
        "zh": "每项权重在其范围内单独变动，其余按比例调整",
        "en": "one weight moved at a time, the others rescaled",
    },
    "derived": {"zh": "依据报告表{number}推算", "en": "derived from the report's table {number}"},
    "weights": {"zh": "权重：{weights}", "en": "weights: {weights}"},
    "study": {"zh": "数据：{data}；指标方案：{scheme}", "en": "data: {data}; scheme: {scheme}"},
    "least_squares": {
        "zh": "约束最小二乘法，依据报告表4–表6",
        "en": "constrained least squares on the report's tables 4–6",
    },
}
"""What a computed figure's 来源 line says about how it was computed."""


def caption(key: str, lang: str | None = None, level: str | None = None, **fields) -> str:
    """The caption of a published figure (``CAPTIONS[key]``) in ``lang``, for ``level`` where it has one."""
    lang = check_lang(lang)
    template = CAPTIONS[arguments.choice(key, "key", CAPTIONS)][lang]
    if "{scope}" in template:
        if level is None:
            raise ParameterError(f"caption {key!r} needs the level (one of {', '.join(LEVELS)})")
        fields["scope"] = SCOPES[arguments.choice(level, "level", SCOPES)][lang]
    return template.format(**fields)


def settings(keys, lang: str | None = None, **fields) -> str:
    """本报告计算 (Computed for this report) with the settings ``SETTINGS[key]`` of each of ``keys`` (one or a list)
    filled in; ``methods`` (names, or a mapping of method to probability) and ``weights`` (a Series of weight by
    measure) are written out in words."""
    lang = check_lang(lang)
    keys = [keys] if isinstance(keys, str) else arguments.names(keys, "keys")
    if "methods" in fields:
        fields["methods"] = text("list_sep", lang).join(
            METHOD_NAMES[m][lang] if m in METHOD_NAMES else m for m in _names(fields["methods"])
        )
    if "weights" in fields:
        weights = arguments.series(fields["weights"], "weights")
        fields["weights"] = text("list_sep", lang).join(f"{measure(k, lang)} {w:.2f}" for k, w in weights.items())
    parts = [SETTINGS[arguments.choice(key, "keys", SETTINGS)][lang].format(**fields) for key in keys]
    return computed(text("source_sep", lang).join(parts), lang)


def _names(methods) -> list:
    return list(methods) if isinstance(methods, Mapping) else arguments.names(methods, "methods")


def study_source(study, numbers, lang: str | None = None) -> str:
    """The 来源 of a chart of 表``numbers`` (one or several) drawn from ``study``: the report's tables where the
    study's numbers are the printed ones, else 本报告计算 with the study's data and scheme (file names, never a
    local path)."""
    arguments.instance(study, "study", Study, "a livecommerce Study")
    listed = [numbers] if isinstance(numbers, int) else arguments.names(numbers, "numbers")
    wrong = [n for n in listed if n not in INDEX_TABLES[study.level]]
    if wrong or not listed:
        raise ParameterError(f"numbers={numbers!r}: name index tables of level {study.level!r}")
    if all(study.as_printed(INDEX_TABLES[study.level][n][0]) for n in listed):
        return table_source(numbers, lang)
    data, scheme = (PurePath(str(study.parameters[k])).name for k in ("data", "scheme"))
    return settings("study", lang, data=text("published_data", lang) if data == "published" else data, scheme=scheme)

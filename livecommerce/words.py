"""The one catalogue of every word the package prints, in Chinese (``zh``, the report's) and English (``en``).

Every table below maps a key to its words in each language of :data:`livecommerce.vocab.LANGS`; the functions
look them up. ``lang`` is always passed: every function that prints words takes it as a keyword argument whose
default is ``"zh"``, the report's language; nothing keeps a "current" language.
"""

import datetime as dt
import re

from livecommerce import arguments
from livecommerce.errors import ParameterError
from livecommerce.vocab import LANGS, MEASURES, PEOPLE_COMPONENTS, PILLARS

# --- The index: levels, measures, chapter 4's modules -----------------------------------------------------------

LEVEL_LABELS = {
    "province": {"zh": "省/直辖市/自治区", "en": "Province"},
    "city": {"zh": "副省级城市", "en": "Sub-provincial city"},
    "prefecture": {"zh": "市（州）", "en": "Sichuan prefecture"},
}
"""A level's name, as the report heads its tables' region column."""

SET_LABELS = {
    "provincial": {"zh": "省级行政区", "en": "Provincial division"},
    "prefectural": {"zh": "地级行政区", "en": "Prefecture-level division"},
    "county": {"zh": "县（市、区）", "en": "County-level division"},
    "registry": {"zh": "地区", "en": "Region"},
}
"""The region column's heading of a region set other than the report's three, by its kind
(:attr:`~livecommerce.data.regions.RegionSet.kind`)."""

MEASURE_LABELS = {
    "overall": {"zh": "直播发展指数", "en": "Development index"},
    "people": {"zh": "人", "en": "People"},
    "activity": {"zh": "主播活跃度", "en": "Anchor activity"},
    "sales": {"zh": "主播带货力", "en": "Anchor sales power"},
    "influence": {"zh": "主播影响力", "en": "Anchor influence"},
    "goods": {"zh": "货", "en": "Goods"},
    "venue": {"zh": "场", "en": "Venue"},
}
"""The published measures (:data:`livecommerce.vocab.MEASURES`) by name."""

MODULE_LABELS = {
    "users": {"zh": "用户", "en": "Users"},
    "anchors": {"zh": "主播", "en": "Anchors"},
    "content": {"zh": "内容", "en": "Content"},
    "brands": {"zh": "品牌", "en": "Brands"},
    "platforms": {"zh": "直播平台", "en": "Live platforms"},
    "intermediaries": {"zh": "中介机构", "en": "Intermediaries"},
}
"""The six modules of chapter 4's dual-centre model (图1 直播电商的双中心模型)."""

SCOPES = {
    "province": {"zh": "全国省、直辖市和自治区", "en": "the provinces"},
    "city": {"zh": "全国15个副省级城市", "en": "the 15 sub-provincial cities"},
    "prefecture": {"zh": "四川21个市（州）", "en": "Sichuan's 21 prefectures"},
}
"""What a level's figures cover, as the report's table titles say it."""

TOP5_CATEGORIES = {
    "川茶": {"zh": "川茶", "en": "Sichuan tea"},
    "川酒": {"zh": "川酒", "en": "Sichuan liquor"},
    "川调": {"zh": "川调", "en": "Sichuan seasoning"},
}
"""The categories of the top-5 lists (表10–12) by name."""

SET_SCOPES = {
    "provincial": {"zh": "{parent}{n}个省级行政区", "en": "the {n} provincial divisions{of}"},
    "prefectural": {"zh": "{parent}{n}个地级行政区", "en": "the {n} prefecture-level divisions{of}"},
    "county": {"zh": "{parent}{n}个县（市、区）", "en": "the {n} county-level divisions{of}"},
    "registry": {"zh": "{parent}{n}个地区", "en": "the {n} regions{of}"},
}
"""What the figures of a region set other than the report's three cover (四川省183个县（市、区）; 河南省17个地级行政区):
its division level (``registry`` for a user's regions), its parent's full name and its size."""

# --- Figures: axes, legends, annotations and source lines -------------------------------------------------------

TEXT = {
    "score": {"zh": "指数值", "en": "Score"},
    "rank": {"zh": "排名", "en": "Rank"},
    "previous": {"zh": "上年", "en": "Previous year"},
    "previous_edition": {"zh": "上一版", "en": "Previous edition"},
    "this_edition": {"zh": "本版", "en": "This edition"},
    "current": {"zh": "2023年前三季度", "en": "2023 Q1–Q3"},
    "growth": {"zh": "同比增长（%）", "en": "Year-on-year growth (%)"},
    "median_value": {"zh": "中位数 {value:.2f}%", "en": "Median {value:.2f}%"},
    "source_sep": {"zh": "；", "en": "; "},
    "list_sep": {"zh": "、", "en": ", "},
    "report_at": {
        "zh": "《中国直播电商行业发展趋势报告（2023）》{where}",
        "en": "China Live-Streaming E-commerce Development Trends Report 2023, {where}",
    },
    "report_uncited": {
        "zh": "《中国直播电商行业发展趋势报告（2023）》{where}（报告未注明原始出处）",
        "en": "China Live-Streaming E-commerce Development Trends Report 2023, {where} "
        "(the report cites no original source)",
    },
    "published_data": {"zh": "报告公布的分项指数", "en": "the report's published sub-indices"},
    "caller_data": {"zh": "调用方给出的数据表", "en": "a data frame given by the caller"},
    "computed": {"zh": "本报告计算", "en": "Computed for this report"},
    "computed_from": {"zh": "本报告计算（{settings}）", "en": "Computed for this report ({settings})"},
    "table_ref": {"zh": "表{number}", "en": "table {number}"},
    "figure_ref": {"zh": "图{number}", "en": "figure {number}"},
    "projection": {"zh": "（预测）", "en": "(projection)"},
    "not_covered": {"zh": "港澳台：不含（报告未覆盖）", "en": "Hong Kong, Macao, Taiwan: not covered by the report"},
    "south_china_sea": {"zh": "南海诸岛", "en": "South China Sea Islands"},
    "no_data": {"zh": "无数据", "en": "No data"},
    "no_boundaries": {
        "zh": "这些地区没有边界数据，故不绘制地图。",
        "en": "These regions have no boundaries, so no map is drawn.",
    },
    "weight": {"zh": "权重", "en": "Weight"},
    "weight_times": {"zh": "{measure} × {weight:.2f}", "en": "{measure} × {weight:.2f}"},
    "nominal": {"zh": "名义模型排名", "en": "Nominal rank"},
    "published": {"zh": "公布排名", "en": "Published rank"},
    "interval": {"zh": "5%–95% 区间", "en": "5–95% interval"},
    "median_rank": {"zh": "排名中位数", "en": "Median rank"},
    "first_order": {"zh": "一阶指数", "en": "First order"},
    "total_order": {"zh": "总效应指数", "en": "Total order"},
    "sobol": {"zh": "Sobol' 指数", "en": "Sobol' index"},
    "share": {"zh": "主效应份额", "en": "Share of main effects"},
    "nominal_weight": {"zh": "名义权重", "en": "Nominal weight"},
    "weight_and_share": {"zh": "名义权重与主效应份额", "en": "Nominal weight and share of main effects"},
    "probability": {"zh": "行地区排名高于列地区的概率", "en": "P(row region ranks above column region)"},
    "contribution": {"zh": "加权贡献（权重×得分）", "en": "Weighted contribution (weight × score)"},
    "methods": {"zh": "权重方法", "en": "Weighting method"},
    "aggregations": {"zh": "集成方式", "en": "Aggregation"},
    "normalisations": {"zh": "标准化方法", "en": "Normalisation"},
    "parent_pearson": {"zh": "与上级指标的皮尔逊相关系数", "en": "Pearson correlation with the parent"},
    "parent_spearman": {"zh": "与上级指标的 Spearman 相关系数", "en": "Spearman correlation with the parent"},
    "weak": {"zh": "弱相关阈值", "en": "Weak-correlation threshold"},
    "strength": {"zh": "强项", "en": "Strength"},
    "weakness": {"zh": "弱项", "en": "Weakness"},
    "peers_named": {"zh": "最相近的地区：{peers}", "en": "Nearest peers: {peers}"},
    "rank_of": {"zh": "{rank}（{regions}）", "en": "{rank} ({regions})"},
    "of_regions": {"zh": "共{n}个地区", "en": "of {n} regions"},
    "rank_change": {"zh": "位次变化", "en": "Rank change"},
    "rank_up": {"zh": "排名上升", "en": "Rank up"},
    "rank_down": {"zh": "排名下降", "en": "Rank down"},
    "rank_same": {"zh": "排名不变", "en": "Rank unchanged"},
    "new": {"zh": "新", "en": "new"},
    "new_region": {"zh": "{region}（新）", "en": "{region} (new)"},
    "region": {"zh": "地区", "en": "Region"},
    "new_rank": {"zh": "新排名", "en": "New rank"},
    "no_change": {
        "zh": "{region}{among}：任一权重在其范围内变动，排名均保持第{rank}名不变",
        "en": "{region}{among}: rank {rank} whichever weight moves, within its range",
    },
    "among": {"zh": "在{scope}中", "en": " (among {scope})"},
    "fact_period": {"zh": "{measure}（{period}）", "en": "{measure} ({period})"},
    "cell": {"zh": "{region}的{indicator}", "en": "{region}'s {indicator}"},
    "unit_yuan": {"zh": "{unit}元", "en": "{unit} yuan"},
    "unit_people": {"zh": "{unit}人", "en": "{unit} people"},
    "hundred_million": {"zh": "亿", "en": "100 million"},
    "ten_thousand": {"zh": "万", "en": "10 thousand"},
    "percent": {"zh": "占网上零售额比重（%）", "en": "Share of online retail sales (%)"},
    "top5_title": {"zh": "表{number} 川货电商节“{category}”指标 TOP5", "en": "Table {number}: {category} top 5"},
    "top5_headers": {
        "zh": "排名|优势品牌|直播优势店铺|主要销往外地",
        "en": "Rank|Leading brand|Leading live shop|Main destination",
    },
    "year": {"zh": "{year}年", "en": "{year}"},
    "month": {"zh": "{year}年{month}月", "en": "{month_en} {year}"},
    "months": {"zh": "{year}年{first}—{last}月", "en": "{first_en}–{last_en} {year}"},
    "span": {"zh": "{start}至{end}", "en": "{start} to {end}"},
    "h1": {"zh": "{year}年上半年", "en": "H1 {year}"},
    "q1_q3": {"zh": "{year}年前三季度", "en": "Q1–Q3 {year}"},
    "past_year": {"zh": "截至{year}年的一年", "en": "the year to {year}"},
    "unstated": {"zh": "时间未注明", "en": "period not stated"},
    "report_title": {
        "zh": "中国直播电商行业发展趋势报告（{year}）",
        "en": "China Live-Streaming E-commerce Development Trends Report {year}",
    },
    "report_title_plain": {
        "zh": "中国直播电商行业发展趋势报告",
        "en": "China Live-Streaming E-commerce Development Trends Report",
    },
    "edition_data": {"zh": "{provider}{period}数据", "en": "{provider} data, {period}"},
    "edition_data_plain": {"zh": "本期报告数据（{period}）", "en": "this edition's data ({period})"},
    "raw_panel": {"zh": "所给原始面板数据", "en": "the raw panel given"},
    "records_provider": {"zh": "所给记录数据", "en": "the records given"},
    "record_data": {
        "zh": "所给记录数据（主播、直播场次、店铺、店铺销售）",
        "en": "the records given (anchors, sessions, shops, sales)",
    },
    "scheme_named": {"zh": "“{title}”指标体系", "en": "the “{title}” scheme"},
    "custom_scheme": {"zh": "自定义指标体系", "en": "a custom scheme"},
}
"""Every word a figure prints, in both languages; fields in braces are filled by :func:`text`."""

HEADLINE_COLUMNS = {"zh": "headline", "en": "headline_en"}
"""The trends table's column of chapter 4's headlines in each language (the report prints them in Chinese only)."""

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# --- Figure captions and what a computed figure's 来源 line says -------------------------------------------------

CAPTIONS = {
    "market": {"zh": "直播电商市场规模", "en": "Size of the live-commerce market"},
    "users": {"zh": "网络购物用户与电商直播用户规模", "en": "Online shoppers and live-commerce users"},
    "share": {"zh": "直播电商销售额占网上零售额比重", "en": "Live commerce's share of online retail sales"},
    "ranked": {"zh": "{scope}直播电商发展指数", "en": "Live-commerce development index of {scope}"},
    "table_overall": {"zh": "{scope}直播电商发展指数", "en": "Live-commerce development index of {scope}"},
    "table_people": {"zh": "{scope}直播电商“人”指标", "en": "People (人) index of {scope}"},
    "table_goods": {"zh": "{scope}直播电商“货”指标", "en": "Goods (货) index of {scope}"},
    "table_venue": {"zh": "{scope}直播电商“场”指标", "en": "Venue (场) index of {scope}"},
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
    "heatmap": {"zh": "{scope}直播电商各项指标", "en": "Every measure of {scope}"},
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
    "tornado": {
        "zh": "{region}在{scope}中的排名随单项权重变动的范围",
        "en": "Rank range of {region} among {scope} as each weight moves",
    },
    "coherence": {
        "zh": "{scope}各分项与上级指标的相关系数",
        "en": "Correlation of each component with its parent, {scope}",
    },
    "unit_profile": {
        "zh": "{region}在{scope}中各项指标的得分与排名",
        "en": "{region} among {scope}: the score and rank of every component",
    },
    "importance": {
        "zh": "{scope}各分项的有效重要性与名义权重",
        "en": "Effective importance against nominal weight, {scope}",
    },
    "framework": {
        "zh": "{scope}直播电商发展指数的框架：各层构成及其有效权重",
        "en": "Framework of the development index of {scope}: its components and their effective weights",
    },
    "distribution": {"zh": "{scope}各项指标得分的分布", "en": "Distribution of each measure's scores across {scope}"},
}
"""Every published figure's caption, without its number (the edition numbers figures 图N)."""

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
    "study": {"zh": "数据：{data}；指标体系：{scheme}", "en": "data: {data}; scheme: {scheme}"},
    "scheme": {
        "zh": "依据“{scheme}”指标体系及本版所用权重",
        "en": "the “{scheme}” scheme and the weights this edition uses",
    },
    "least_squares": {
        "zh": "约束最小二乘法，依据报告表4–表6",
        "en": "constrained least squares on the report's tables 4–6",
    },
}
"""What a computed figure's 来源 line says about how it was computed."""

# --- The switchable choices of a what-if or a sensitivity analysis ----------------------------------------------

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
    "goalposts": {"zh": "目标值区间法", "en": "goalposts"},
    "distance_to_reference": {"zh": "与参照地区的距离", "en": "distance to a reference region"},
    "distance_to_target": {"zh": "与目标值的距离", "en": "distance to target"},
    "scaled": {"zh": "定值缩放", "en": "scaled"},
}
"""Normalisations by name (:data:`livecommerce.index.normalise.NORMALISATIONS`, and the published scores)."""

AGGREGATION_NAMES = {
    "nominal": {"zh": "按指标体系", "en": "as the scheme says"},
    "arithmetic": {"zh": "算术平均", "en": "arithmetic mean"},
    "geometric": {"zh": "几何平均", "en": "geometric mean"},
    "harmonic": {"zh": "调和平均", "en": "harmonic mean"},
    "generalised": {"zh": "广义平均", "en": "generalised mean"},
    "median": {"zh": "加权中位数", "en": "weighted median"},
    "copeland": {"zh": "Copeland 两两比较法", "en": "Copeland (pairwise)"},
    "mpi": {"zh": "Mazziotta–Pareto 指数", "en": "Mazziotta–Pareto index"},
    "bod": {"zh": "“受益于怀疑”法（BoD）", "en": "Benefit of the Doubt"},
}
"""Aggregations by name (:data:`livecommerce.index.model.AGGREGATION_CHOICES`)."""

# --- The printed tables (表1–15) ---------------------------------------------------------------------------------


def _measure_header(measure: str) -> dict[str, str]:
    """A measure's column header as the report prints it, from its label (:data:`MEASURE_LABELS`): a pillar as
    “人”指标 (People (人)), a sub-index of 人 as 主播活跃度指数 (Anchor activity), the index as it is."""
    label = MEASURE_LABELS[measure]
    if measure in PILLARS:
        return {"zh": f"“{label['zh']}”指标", "en": f"{label['en']} ({label['zh']})"}
    if measure in PEOPLE_COMPONENTS:
        return {"zh": f"{label['zh']}指数", "en": label["en"]}
    return label


TABLE_HEADERS = {
    "rank": {"zh": "排名", "en": "Rank"},
    "yoy_growth": {"zh": "同比增长", "en": "Year-on-year growth"},
    "rank_change": {"zh": "位次变化", "en": "Rank change"},
    "rank_up": {"zh": "排名上升", "en": "Rank up"},
    "rank_down": {"zh": "排名下降", "en": "Rank down"},
    "rank_same": {"zh": "排名不变", "en": "Rank unchanged"},
    **{m: _measure_header(m) for m in MEASURES},
    "brand": {"zh": "优势品牌", "en": "Leading brand"},
    "shop": {"zh": "直播优势店铺", "en": "Leading live-streaming shop"},
    "destination": {"zh": "主要销往外地", "en": "Main market outside Sichuan"},
}
"""Column headers as the report prints them (and in English)."""

# --- Analyses: coherence, missing values ------------------------------------------------------------------------

COHERENCE_HEADINGS = {
    "node": {"zh": "节点", "en": "Node"},
    "components": {"zh": "成分数", "en": "Components"},
    "regions": {"zh": "地区数", "en": "Regions"},
    "alpha": {"zh": "Cronbach α", "en": "Cronbach's alpha"},
    "kmo": {"zh": "KMO", "en": "KMO"},
    "bartlett_chi2": {"zh": "Bartlett χ²", "en": "Bartlett chi²"},
    "bartlett_df": {"zh": "自由度", "en": "df"},
    "bartlett_p": {"zh": "Bartlett p 值", "en": "Bartlett p"},
    "pc1_share": {"zh": "第一主成分方差贡献率", "en": "PC1 share of variance"},
}
"""Headings of :meth:`livecommerce.analysis.coherence.Coherence.table`."""

GAP_HEADINGS = {
    "region": {"zh": "地区", "en": "Region"},
    "available": {"zh": "已填指标占比", "en": "Share of indicators filled in"},
    "imputed_share": {"zh": "插补指标占比", "en": "Share of indicators imputed"},
    "below_coverage": {"zh": "低于覆盖率阈值", "en": "Below the coverage threshold"},
    "dropped": {"zh": "已剔除", "en": "Dropped"},
}
"""Headings of :func:`livecommerce.index.impute.gaps` (``Study.gaps(lang)``)."""

POLICY_LABELS = {
    "error": {"zh": "不允许缺失值", "en": "no empty cell allowed"},
    "drop": {"zh": "剔除有缺失值的地区", "en": "dropping the region"},
    "median": {"zh": "中位数插补", "en": "the median of the other regions"},
    "mean": {"zh": "均值插补", "en": "the mean of the other regions"},
    "macro_mean": {"zh": "所属经济区域均值插补", "en": "the mean of the region's macro region"},
    "parent_mean": {"zh": "所属省份均值插补", "en": "the mean of the region's parent province"},
    "group_mean": {"zh": "同组均值插补（按{column}分组）", "en": "the mean of the region's group (by {column})"},
    "macro_median": {"zh": "所属经济区域中位数插补", "en": "the median of the region's macro region"},
    "parent_median": {"zh": "所属省份中位数插补", "en": "the median of the region's parent province"},
    "group_median": {"zh": "同组中位数插补（按{column}分组）", "en": "the median of the region's group (by {column})"},
    "row_mean": {
        "zh": "按地区其他指标的平均标准分插补",
        "en": "the region's mean standard score on its other indicators",
    },
    "mice": {"zh": "链式方程多重插补（MICE）", "en": "chained equations (MICE)"},
}
"""Each missing-value policy (:data:`livecommerce.index.impute.MISSING`) in words."""

GAP_NOTES = {
    "none": {
        "zh": "数据无缺失值，未作插补或筛选。",
        "en": "No cell of the data is empty: nothing was imputed or screened.",
    },
    "gaps": {
        "zh": "{regions}个地区有缺失值，处理方式：{policy}",
        "en": "{regions} region(s) had empty cells, handled by {policy}",
    },
    "largest": {
        "zh": "；插补占比最高的是{region}（{share:.0%}）",
        "en": "; the largest imputed share is {region}'s ({share:.0%})",
    },
    "end": {"zh": "。", "en": "."},
    "below": {
        "zh": "已填指标占比低于{threshold:.0%}的地区{count}个（{names}），已{action}。",
        "en": " {count} region(s) had less than {threshold:.0%} of their indicators filled in ({names}) and were "
        "{action}.",
    },
    "none_below": {
        "zh": "没有地区的已填指标占比低于覆盖率阈值{threshold:.0%}。",
        "en": " No region had less than the coverage threshold of {threshold:.0%} of its indicators filled in.",
    },
    "flag": {"zh": "标记", "en": "flagged"},
    "drop": {"zh": "剔除", "en": "dropped"},
    "sep": {"zh": "、", "en": ", "},
}
"""The pieces of :func:`livecommerce.index.impute.gaps_note`'s sentence."""

# --- An edition's front matter (its metadata) -------------------------------------------------------------------

METADATA_FIELDS = {
    "title": {"zh": "报告名称", "en": "title"},
    "year": {"zh": "年份", "en": "year"},
    "period": {"zh": "数据期间", "en": "period"},
    "client": {"zh": "委托单位", "en": "client"},
    "authors": {"zh": "撰稿单位", "en": "authors"},
    "provider": {"zh": "数据提供方", "en": "provider"},
    "date": {"zh": "日期", "en": "date"},
    "unrewritten": {"zh": "未改写章节", "en": "unrewritten"},
}
"""The fields of an edition's metadata (``metadata.csv`` or its sheet), as a file names them in either language."""

UNREWRITTEN = {"mark": {"zh": "标注", "en": "mark"}, "omit": {"zh": "省略", "en": "omit"}}
"""What an edition does with a section written for another edition (its ``unrewritten`` field): print it with a
visible marker, or leave it out."""

METADATA_COLUMNS = {"field": {"zh": "项目", "en": "field"}, "value": {"zh": "内容", "en": "value"}}
"""The two columns of an edition's metadata file."""

METADATA_LABELS = {
    "client": {"zh": "委托单位：", "en": "Commissioned by: "},
    "authors": {"zh": "撰稿单位：", "en": "Authors: "},
    "provider": {"zh": "数据提供方：", "en": "Data: "},
    "period": {"zh": "数据期间：", "en": "Period covered: "},
    "date": {"zh": "日期：", "en": "Date: "},
}
"""The cover's and title page's labels before each field."""

REPORT_METADATA = {
    "title": {
        "zh": "中国直播电商行业发展趋势报告（2023）",
        "en": "China Live-Streaming E-commerce Development Trends Report 2023",
    },
    "period": {"zh": "2023年前三季度", "en": "Q1–Q3 2023"},
    "client": {"zh": "四川省商务厅", "en": "Department of Commerce of Sichuan Province"},
    "authors": {
        "zh": "四川大学商学院|西南财经大学管理科学与工程学院|四川农业大学信息工程学院|成都理工大学管理科学学院|"
        "西华大学经济学院|成都映潮科技股份有限公司",
        "en": "Business School, Sichuan University|School of Management Science and Engineering, Southwestern "
        "University of Finance and Economics|College of Information Engineering, Sichuan Agricultural University|"
        "College of Management Science, Chengdu University of Technology|School of Economics, Xihua University|"
        "Chengdu Yingchao Technology Co., Ltd.",
    },
    "provider": {"zh": "成都映潮科技股份有限公司", "en": "Chengdu Yingchao Technology Co., Ltd."},
    "date": {"zh": "二〇二三年十二月", "en": "December 2023"},
}
"""The 2023 report's own front matter, as its cover and title page print it (委托单位, 撰稿单位 on the cover, 数据分析
by 成都映潮科技股份有限公司, the data of 2023年前三季度); authors separated by ``|``."""

RECORD_TABLES = {
    "anchors": {"zh": "主播", "en": "anchors"},
    "sessions": {"zh": "直播场次", "en": "sessions"},
    "shops": {"zh": "店铺", "en": "shops"},
    "sales": {"zh": "店铺销售", "en": "shop sales"},
}
"""The record tables by name, as the edition's note on its records names them."""

BAD_ROW_RULES = {
    "missing": {"zh": "缺少必填值", "en": "a required value empty"},
    "not_numeric": {"zh": "数值列为文字", "en": "text in a number column"},
    "negative": {"zh": "数量或金额为负", "en": "a negative count or amount"},
    "bad_date": {"zh": "日期无法识别", "en": "an unreadable date"},
    "outside_period": {"zh": "日期不在数据期间内", "en": "a date outside the period"},
    "duplicate": {"zh": "编号重复", "en": "a repeated id"},
    "unknown_reference": {"zh": "所属主播或店铺不存在", "en": "an unknown anchor or shop"},
}
"""Each bad-row rule (:data:`livecommerce.records.tables.RULES`) as the edition's note on its records names it."""

# --- An edition's files: part, column and unit names for authors -----------------------------------------------

PART_NAMES = {
    "province": {"zh": "省级", "en": "province"},
    "city": {"zh": "副省级城市", "en": "city"},
    "prefecture": {"zh": "四川市州", "en": "prefecture"},
    "top5": {"zh": "TOP5", "en": "top5"},
    "facts": {"zh": "事实", "en": "facts"},
    "metadata": {"zh": "封面信息", "en": "metadata"},
}
"""Each part of an edition (:data:`livecommerce.data.edition.PARTS`) as its file stem or sheet name, in either
language."""

INPUT_COLUMNS = {
    "region_id": {"zh": "地区代码", "en": "region_id"},
    "region": {"zh": "地区", "en": "region"},
    "category": {"zh": "类别", "en": "category"},
    "rank": {"zh": "排名", "en": "rank"},
    "brand": {"zh": "优势品牌", "en": "brand"},
    "shop": {"zh": "直播优势店铺", "en": "shop"},
    "destination": {"zh": "主要销往外地", "en": "destination"},
    "destination_id": {"zh": "销往地代码", "en": "destination_id"},
}
"""The columns of a panel and a top-5 list other than the indicators, as a file heads them in either language."""

UNIT_NAMES = {
    "anchors": {"zh": "人", "en": "anchors"},
    "sessions": {"zh": "场", "en": "sessions"},
    "agencies": {"zh": "家", "en": "agencies"},
    "yuan": {"zh": "元", "en": "yuan"},
    "score (0–5)": {"zh": "分（0–5）", "en": "score (0–5)"},
    "followers": {"zh": "人", "en": "followers"},
    "views": {"zh": "人次", "en": "views"},
    "visitors per session": {"zh": "人/场", "en": "visitors per session"},
    "shops": {"zh": "家", "en": "shops"},
    "products": {"zh": "个", "en": "products"},
    "units": {"zh": "件", "en": "units"},
    "yuan per order": {"zh": "元/单", "en": "yuan per order"},
    "rooms": {"zh": "个", "en": "rooms"},
}
"""The report scheme's indicator units (as the scheme writes them, in English) in either language; a unit not
listed prints as the scheme writes it."""

TEMPLATE_NOTES = {
    "panel": {
        "zh": "# 直播电商原始面板（{part}）：每行一个地区，填写原始数值（指标体系：{scheme}）",
        "en": "# livecommerce raw panel of level {level} (scheme {scheme}): one row per region in raw units",
    },
    "label": {"zh": "# 指标", "en": "# 指标 (label)"},
    "unit": {"zh": "# 单位", "en": "# unit"},
    "direction": {"zh": "# 方向（1：越大越好；-1：越小越好）", "en": "# direction"},
    "top5": {
        "zh": "# 表10–12 的TOP5：每个类别按排名填写优势品牌、直播优势店铺和主要销往外地（省份）",
        "en": "# the top-5 lists behind 表10–12: brand, shop and destination province (as printed) per rank",
    },
    "metadata": {
        "zh": "# 本期报告的封面信息：留空的项按年份取默认值（年份留空则取文件夹或工作簿名中的年份）",
        "en": "# the edition's front matter: a field left blank defaults from the year (itself from the name)",
    },
}
"""The ``#`` rows above an empty panel's or top-5 list's header, which the readers skip."""

# --- The report's pages ---------------------------------------------------------------------------------------

NOTEBOOK_TITLES = {
    "01_overview": {"zh": "一、发展概况", "en": "1. Overview"},
    "02_opportunities_challenges": {"zh": "二、机遇与挑战", "en": "2. Opportunities and challenges"},
    "03_development_index": {"zh": "三（一）发展指数", "en": "3. The development index"},
    "04_people_goods_venue": {"zh": "三（二）人货场", "en": "3. People, goods, venue"},
    "05_trends": {"zh": "四、未来趋势", "en": "4. Trends"},
    "06_methodology": {"zh": "方法：权重与方案", "en": "Methodology: weights and schemes"},
    "07_sensitivity": {"zh": "不确定性与敏感性分析", "en": "Uncertainty and sensitivity"},
}
"""Each notebook's title, as its HTML page and the document head it."""

EXPLORER_TEXT = {
    "intro": {
        "zh": "# 假设分析（交互）\n\n"
        "移动滑块与菜单：各节点的权重（相对值：同一节点的滑块按总和为1重新缩放）、赋权方法（指标体系权重、等权、熵权法、"
        "CRITIC、变异系数法、主成分分析；选定一种方法，滑块即移到它给出的权重）、标准化方法（仅限原始数据：公布的数据已是"
        "指数值）和集成方式（各节点自身的方式，或处处采用算术、几何或调和平均）。每次改动后重新排名（Saisana、Saltelli "
        "和 Tarantola 2005年把这些选择作为不确定性分析的输入；COINr 的 `rew8r` 是同一思路的应用）。左图为新的排名，"
        "上升的地区为绿色，下降的为红色；右表列出排名相对于指标体系自身权重发生变化的每个地区（公布的数据：报告的“人”"
        "权重和以最小二乘法求得的总指数权重，其排名与公布的表1—表3接近，但不完全相同）。\n\n"
        "`livecommerce report` 不运行本笔记本：它需要有人操作滑块。所示结果均由 "
        "`livecommerce.analysis.whatif.what_if` 计算，脚本可用同样的选择调用它。",
        "en": "# What if? (interactive)\n\n"
        "Move the sliders and menus: each node's weights (relative: a node's sliders are rescaled to sum to 1), the "
        "weighting method (the scheme's weights, equal, entropy, CRITIC, coefficient of variation, PCA; choosing one "
        "moves the sliders to its weights), the normalisation (a raw panel only: the published data are already "
        "scores) and the aggregation (each node's own, or an arithmetic, geometric or harmonic mean everywhere). The "
        "level is re-ranked on every change (Saisana, Saltelli & Tarantola 2005 treat these same choices as the "
        "uncertain inputs of an uncertainty analysis; COINr's `rew8r` is the same idea as an app). The chart shows "
        "the new ranking, green for regions that rose and red for those that fell; the table lists every region "
        "whose rank moved, against the scheme's own weights (for the published data: the report's People weights "
        "and the least-squares overall weights, whose ranking is close to, but not the same as, the published "
        "tables 1–3).\n\n"
        "`livecommerce report` does not run this notebook: it needs a person at the sliders. Everything it shows "
        "is computed by `livecommerce.analysis.whatif.what_if`, which a script can call with the same choices.",
    },
    "equal_people": {
        "zh": "不用滑块的同一计算：“人”的三个分项指数等权，其余按指标体系的权重。",
        "en": "The same calculation without widgets: People's three sub-indices weighted equally, the rest as the "
        "scheme says.",
    },
}
"""The prose of the what-if notebook (``notebooks/08_explore.py``), in the run's language."""


def check_lang(lang: str) -> str:
    """``lang`` if it is one of :data:`livecommerce.vocab.LANGS` (zh, en), else a :class:`ParameterError`."""
    return arguments.choice(lang, "lang", LANGS)


def word(table: dict, key: str, lang: str = "zh", argument: str = "key") -> str:
    """``key``'s words in ``lang`` from one of the tables above (``word(MEASURE_LABELS, "people", "en")``); an
    unknown key is an error naming ``argument``, the caller's name for it."""
    return arguments.mapping(table, "table")[arguments.choice(key, argument, table)][check_lang(lang)]


def text(key: str, lang: str = "zh", **fields) -> str:
    """:data:`TEXT`'s ``key`` in ``lang``, its fields filled in."""
    return word(TEXT, key, lang).format(**fields)


def measure(name: str, lang: str = "zh") -> str:
    """A measure's label (主播活跃度 / Anchor activity …)."""
    return word(MEASURE_LABELS, name, lang, "name")


def choice_name(names: dict, key: str, lang: str = "zh") -> str:
    """``key``'s name in ``lang`` from :data:`METHOD_NAMES`, :data:`NORMALISATION_NAMES` or
    :data:`AGGREGATION_NAMES` (the key itself where it has none)."""
    arguments.instance(names, "names", dict, "a table of words (METHOD_NAMES …)")
    return names.get(arguments.string(key, "key"), {}).get(check_lang(lang), key)


def caption(key: str, lang: str = "zh", level: str | None = None, **fields) -> str:
    """The caption of a published figure (:data:`CAPTIONS`) in ``lang``, for ``level`` where it has one (or for
    the ``scope`` given, another region set's: :data:`SET_SCOPES`)."""
    template = word(CAPTIONS, key, lang)
    if "{scope}" in template and "scope" not in fields:
        if level is None:
            raise ParameterError(f"caption {key!r} needs the level (one of {', '.join(SCOPES)})")
        fields["scope"] = word(SCOPES, arguments.choice(level, "level", SCOPES), lang)
    return template.format(**fields)


_PERIODS = (
    (re.compile(r"(\d{4})-(\d{2}) to (\d{4})-(\d{2})"), None),
    (re.compile(r"(\d{4})H1"), "h1"),
    (re.compile(r"(\d{4})Q1-Q3"), "q1_q3"),
    (re.compile(r"(\d{4})-(\d{2})"), "month"),
    (re.compile(r"(\d{4})"), "year"),
    (re.compile(r"past year \(to (\d{4})\)"), "past_year"),
    (re.compile(r"unstated"), "unstated"),
)


def period(value: str, lang: str = "zh") -> str:
    """A period as the facts table writes it (``2023-01 to 2023-10``, ``2023Q1-Q3``, ``2023H1``, ``2023-06``,
    ``2022``) in words: 2023年1—10月, 2023年前三季度 … / Jan–Oct 2023, Q1–Q3 2023 …"""
    value = arguments.string(value, "value").strip()
    for pattern, key in _PERIODS:
        match = pattern.fullmatch(value)
        if match is None:
            continue
        if key is not None:
            groups = match.groups()
            month = {"month": int(groups[1]), "month_en": _MONTHS_EN[int(groups[1]) - 1]} if key == "month" else {}
            return text(key, lang, year=groups[0], **month)
        y0, m0, y1, m1 = match.groups()
        if y0 == y1:
            return text(
                "months",
                lang,
                year=y0,
                first=int(m0),
                last=int(m1),
                first_en=_MONTHS_EN[int(m0) - 1],
                last_en=_MONTHS_EN[int(m1) - 1],
            )
        return text("span", lang, start=period(f"{y0}-{m0}", lang), end=period(f"{y1}-{m1}", lang))
    raise ParameterError(f"period={value!r}: not a period the facts table uses (e.g. 2023-06, 2023Q1-Q3, 2022)")


def days(first: str, last: str, lang: str = "zh") -> str:
    """The period from day ``first`` to day ``last`` (ISO dates) as the report words it when it is whole months
    (2023-01-01 to 2023-09-30: 2023年前三季度; 2023年1—6月 …), else as its two days."""
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    if not (start.day == 1 and (end + dt.timedelta(days=1)).day == 1):
        return text("span", lang, start=first, end=last)
    y, m0, m1 = start.year, start.month, end.month
    given = f"{y}-{m0:02d} to {end.year}-{m1:02d}"
    if end.year == y:
        named = {(1, 12): f"{y}", (1, 6): f"{y}H1", (1, 9): f"{y}Q1-Q3"}
        given = named.get((m0, m1)) or (f"{y}-{m0:02d}" if m0 == m1 else given)
    return period(given, lang)


__all__ = [
    "AGGREGATION_NAMES",
    "BAD_ROW_RULES",
    "CAPTIONS",
    "COHERENCE_HEADINGS",
    "EXPLORER_TEXT",
    "GAP_HEADINGS",
    "GAP_NOTES",
    "HEADLINE_COLUMNS",
    "INPUT_COLUMNS",
    "LEVEL_LABELS",
    "MEASURE_LABELS",
    "METADATA_COLUMNS",
    "METADATA_FIELDS",
    "METADATA_LABELS",
    "METHOD_NAMES",
    "MODULE_LABELS",
    "NORMALISATION_NAMES",
    "NOTEBOOK_TITLES",
    "PART_NAMES",
    "POLICY_LABELS",
    "RECORD_TABLES",
    "REPORT_METADATA",
    "SCOPES",
    "SET_SCOPES",
    "SETTINGS",
    "TABLE_HEADERS",
    "TEMPLATE_NOTES",
    "TEXT",
    "TOP5_CATEGORIES",
    "UNIT_NAMES",
    "UNREWRITTEN",
    "caption",
    "check_lang",
    "days",
    "choice_name",
    "measure",
    "period",
    "text",
    "word",
]

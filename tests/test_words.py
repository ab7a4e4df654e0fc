"""One zh/en catalogue (livecommerce/words.py), the language always passed, no module-level mutable state: read from
the source where a rule is about the code, drawn where it is about what a figure prints."""

import ast
import inspect
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from livecommerce import plots, words  # noqa: E402
from livecommerce.analysis.sensitivity import sweeps  # noqa: E402
from livecommerce.data import published as data  # noqa: E402
from livecommerce.errors import ParameterError  # noqa: E402
from livecommerce.index import model  # noqa: E402
from livecommerce.plots import sources  # noqa: E402
from livecommerce.vocab import LANGS  # noqa: E402

PACKAGE = Path(__file__).resolve().parents[1] / "livecommerce"
MODULES = sorted(PACKAGE.rglob("*.py"))
CACHES = {"livecommerce/data/published.py": {"_FRAMES", "_CHECKED"}, "livecommerce/index/scheme.py": {"_SCHEMES"}}
"""Module-level dicts that are caches, not state: each entry is keyed by its file's version (what ``lru_cache``
cannot do), so a call gives what a fresh process would."""
MUTATORS = {"append", "extend", "insert", "update", "setdefault", "pop", "popitem", "clear", "add", "remove"}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


def test_only_words_defines_zh_en_word_tables():
    found = [
        f"{_name(path)}:{node.lineno}"
        for path in MODULES
        if path != PACKAGE / "words.py"
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Dict) and set(LANGS) <= {k.value for k in node.keys if isinstance(k, ast.Constant)}
    ]
    assert found == [], "a zh/en word table outside livecommerce/words.py"


def test_the_languages_are_listed_once():
    found = [
        f"{_name(path)}:{node.lineno}"
        for path in MODULES
        if path != PACKAGE / "vocab.py"
        for node in ast.walk(_tree(path))
        if isinstance(node, (ast.Tuple, ast.List, ast.Set))
        and {e.value for e in node.elts if isinstance(e, ast.Constant)} == set(LANGS)
    ]
    assert found == [], "check a language with words.check_lang (vocab.LANGS), not a list of its own"


def test_no_module_has_a_global_statement():
    found = [
        f"{_name(path)}:{node.lineno}"
        for path in MODULES
        for node in ast.walk(_tree(path))
        if isinstance(node, (ast.Global, ast.Nonlocal))
    ]
    assert found == []


def _module_containers(tree: ast.Module) -> set[str]:
    """Names a module binds to a dict, list or set at load."""
    containers = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)
    names = set()
    for node in tree.body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        if isinstance(getattr(node, "value", None), containers):
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def test_no_function_changes_a_module_level_dict_list_or_set():
    found = []
    for path in MODULES:
        tree = _tree(path)
        shared = _module_containers(tree) - CACHES.get(_name(path), set())
        for function in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
            for node in ast.walk(function):
                stored = isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del))
                called = (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in MUTATORS
                    and isinstance(node.func.value, ast.Name)
                )
                target = node.value if stored else node.func.value if called else None
                if isinstance(target, ast.Name) and target.id in shared:
                    found.append(f"{_name(path)}:{node.lineno} {target.id}")
    assert found == []


def _tables():
    return {
        name: value
        for name, value in vars(words).items()
        if name.isupper() and isinstance(value, dict) and name != "HEADLINE_COLUMNS"
    }


@pytest.mark.parametrize("name", sorted(_tables()))
def test_every_word_table_says_every_key_in_both_languages(name):
    table = _tables()[name]
    assert table and all(set(entry) == set(LANGS) and all(entry.values()) for entry in table.values())


def _lang_functions():
    for module in (plots, sources, words):
        for name, function in vars(module).items():
            if (
                inspect.isfunction(function)
                and "lang" in inspect.signature(function).parameters
                and name != "check_lang"
            ):
                yield f"{function.__module__}.{name}", function


@pytest.mark.parametrize("name, function", sorted(_lang_functions()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_function_that_prints_words_takes_lang_zh_by_default(name, function):
    assert inspect.signature(function).parameters["lang"].default == "zh", name


def test_the_theme_keeps_no_language():
    assert "lang" not in inspect.signature(plots.set_theme).parameters
    with pytest.raises(ParameterError, match="lang='fr'"):
        words.text("score", "fr")
    with pytest.raises(ParameterError, match="lang=None"):
        words.caption("market", None)


def _ticks(ax) -> list[str]:
    return [t.get_text() for t in ax.get_yticklabels()]


def test_a_chart_speaks_the_language_asked_whatever_was_drawn_before():
    index = data.load_index("city")
    plots.set_theme()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        english = plots.ranked(index, lang="en")
        chinese = plots.ranked(index)  # the default: the report's language
        again = plots.ranked(index, lang="en")
        for ax in (english, chinese, again):
            ax.figure.canvas.draw()
    assert _ticks(english)[0] == _ticks(again)[0] == "Hangzhou" and _ticks(chinese)[0] == "杭州"
    assert english.get_xlabel() == "Development index" and chinese.get_xlabel() == "直播发展指数"
    assert plots.caption("ranked", level="city", lang="en").startswith("Live-commerce development index")
    assert plots.caption("ranked", level="city") == "全国15个副省级城市直播电商发展指数"
    assert plots.table_source(2, lang="en").endswith("table 2") and plots.table_source(2).endswith("表2")
    plt.close("all")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_region_of_two_sets_has_a_caption_and_a_sentence_for_each(lang):
    """成都 ranks among the 15 cities and among Sichuan's 21 prefectures: its unit profile and tornado captions and
    its no-change sentence name the set, so that two figures or two lines never read as one region with two ranks."""
    chengdu = "成都" if lang == "zh" else "Chengdu"
    for key in ("unit_profile", "tornado"):
        city, prefecture = (words.caption(key, lang, level, region=chengdu) for level in ("city", "prefecture"))
        assert city != prefecture
        assert words.word(words.SCOPES, "city", lang) in city
        assert words.word(words.SCOPES, "prefecture", lang) in prefecture
    table = sweeps.tornado(model.from_published("city"))
    table["rank_best"] = table["rank_worst"] = table["nominal_rank"]
    scope = words.word(words.SCOPES, "city", lang)
    note = plots.tornado_note(table, "510100", lang, scope=scope)
    assert note.startswith(chengdu) and scope in note
    assert "贡献" not in words.caption("unit_profile", "zh", "city", region="成都")  # the chart shows no contribution

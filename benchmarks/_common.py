"""Shared parts of the benchmarks: synthetic registry data, fresh databases, timing helpers.

Everything here is deterministic for a given seed, so two runs measure the same data.
Nothing here asserts a timing: the scripts print figures and their baselines.
"""

from __future__ import annotations

import contextlib
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
ROOT = HERE.parent
PG_URL = os.environ.get("COOPLAB_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

if str(ROOT / "src") not in sys.path:  # a checkout without `pip install -e`; PYTHONPATH still wins
    sys.path.append(str(ROOT / "src"))

import iuliia  # noqa: E402

from cooplab.vocab.identifiers import inn_check_digits, ogrn_check_digit  # noqa: E402
from cooplab.vocab.names import name_key  # noqa: E402

# ---------------------------------------------------------------- machine and timing


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    import cooplab

    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else ["?"]
    return (
        f"nproc={os.cpu_count()}, CPU={cpu}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}, load average {' '.join(load)}"
        f"\n  cooplab from {Path(cooplab.__file__).parent.parent}"
    )


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values`."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary_ms(seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"p50 {pct(ms, 50):7.2f} ms  p95 {pct(ms, 95):7.2f} ms  p99 {pct(ms, 99):7.2f} ms  "
        f"mean {statistics.fmean(ms):7.2f} ms  max {max(ms):7.2f} ms"
    )


@contextlib.contextmanager
def timed(label: str, sink: dict[str, float] | None = None) -> Iterator[None]:
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    if sink is not None:
        sink[label] = elapsed
    print(f"  {label:<48} {elapsed:9.2f} s", flush=True)


# ---------------------------------------------------------------- databases


@contextlib.contextmanager
def fresh_database(backend: str) -> Iterator[str]:
    """The URL of a new, empty database: a SQLite file in a temp dir, or a new PostgreSQL
    schema (dropped afterwards)."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="cooplab-bench-") as folder:
            yield f"sqlite:///{folder}/bench.sqlite3"
        return
    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        sep = "&" if "?" in PG_URL else "?"
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def postgres_available() -> bool:
    try:
        from sqlalchemy import create_engine, text

        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        print(f"  PostgreSQL at {PG_URL} not available ({type(exc).__name__}): skipped")
        return False


# ---------------------------------------------------------------- synthetic organizations

RU_CITIES = [  # (adjective, city in Cyrillic, English city)
    ("Тольяттинский", "Тольятти", "Togliatti"),
    ("Самарский", "Самара", "Samara"),
    ("Ульяновский", "Ульяновск", "Ulyanovsk"),
    ("Нижегородский", "Нижний Новгород", "Nizhny Novgorod"),
    ("Казанский", "Казань", "Kazan"),
    ("Набережночелнинский", "Набережные Челны", "Naberezhnye Chelny"),
    ("Ижевский", "Ижевск", "Izhevsk"),
    ("Калужский", "Калуга", "Kaluga"),
    ("Липецкий", "Липецк", "Lipetsk"),
    ("Челябинский", "Челябинск", "Chelyabinsk"),
    ("Пермский", "Пермь", "Perm"),
    ("Ярославский", "Ярославль", "Yaroslavl"),
    ("Тверской", "Тверь", "Tver"),
    ("Московский", "Москва", "Moscow"),
    ("Петербургский", "Санкт-Петербург", "Saint Petersburg"),
    ("Владимирский", "Владимир", "Vladimir"),
    ("Тульский", "Тула", "Tula"),
    ("Курский", "Курск", "Kursk"),
    ("Уфимский", "Уфа", "Ufa"),
    ("Екатеринбургский", "Екатеринбург", "Yekaterinburg"),
    ("Саранский", "Саранск", "Saransk"),
    ("Чебоксарский", "Чебоксары", "Cheboksary"),
    ("Миасский", "Миасс", "Miass"),
    ("Брянский", "Брянск", "Bryansk"),
]
PRODUCTS = [  # (Russian, English)
    ("завод штампов и пресс-форм", "Stamping and Mould Plant"),
    ("завод автокомпонентов", "Auto Components Plant"),
    ("литейный завод", "Foundry"),
    ("механический завод", "Mechanical Plant"),
    ("завод пластмассовых изделий", "Plastic Products Plant"),
    ("кузовной завод", "Body Plant"),
    ("моторный завод", "Engine Plant"),
    ("завод резинотехнических изделий", "Rubber Products Plant"),
    ("электротехнический завод", "Electrical Plant"),
    ("завод автостекла", "Auto Glass Plant"),
    ("кабельный завод", "Cable Plant"),
    ("завод крепёжных изделий", "Fastener Plant"),
    ("подшипниковый завод", "Bearing Plant"),
    ("завод тормозных систем", "Brake Systems Plant"),
    ("завод светотехники", "Lighting Plant"),
    ("завод сидений", "Seating Plant"),
    ("инструментальный завод", "Tool Plant"),
    ("завод поршней", "Piston Plant"),
    ("арматурный завод", "Valve Plant"),
    ("завод фильтров", "Filter Plant"),
]
RU_ROOTS = [
    "Авто",
    "Тех",
    "Пром",
    "Маш",
    "Мет",
    "Электро",
    "Волга",
    "Урал",
    "Сиб",
    "Кам",
    "Нева",
    "Дон",
    "Спец",
    "Пласт",
    "Лит",
    "Гидро",
    "Термо",
    "Ком",
    "Мотор",
    "Стан",
    "Поли",
    "Интер",
    "Рус",
    "Стал",
    "Агрегат",
    "Нор",
    "Вест",
    "Ист",
    "Тран",
    "Энерго",
]
RU_TAILS = [
    "пласт",
    "тех",
    "маш",
    "комплект",
    "деталь",
    "сталь",
    "лит",
    "пром",
    "сервис",
    "снаб",
    "мотор",
    "транс",
    "стекло",
    "кабель",
    "резина",
    "привод",
    "форм",
    "штамп",
    "металл",
    "агрегат",
    "систем",
    "профиль",
    "инвест",
    "групп",
    "техника",
    "завод",
    "холдинг",
    "про",
    "модуль",
    "элемент",
]
RU_FORMS = ["ООО", "ООО", "ООО", "АО", "ПАО", "ЗАО"]

UZ_CITIES = [  # (Uzbek Latin, Russian, English)
    ("Toshkent", "Ташкент", "Tashkent"),
    ("Andijon", "Андижан", "Andijan"),
    ("Asaka", "Асака", "Asaka"),
    ("Samarqand", "Самарканд", "Samarkand"),
    ("Farg‘ona", "Фергана", "Fergana"),
    ("Namangan", "Наманган", "Namangan"),
    ("Jizzax", "Джизак", "Jizzakh"),
    ("Buxoro", "Бухара", "Bukhara"),
    ("Navoiy", "Навои", "Navoi"),
    ("Qo‘qon", "Коканд", "Kokand"),
    ("Chirchiq", "Чирчик", "Chirchiq"),
    ("Xorazm", "Хорезм", "Khorezm"),
]
UZ_PRODUCTS = [  # (Uzbek, Russian, English)
    ("avtokomponent", "автокомпонент", "Auto Components"),
    ("plastmass", "пластмасс", "Plastics"),
    ("metall konstruksiya", "металлоконструкция", "Steel Structures"),
    ("kabel", "кабель", "Cables"),
    ("shina", "шина", "Tyres"),
    ("oyna", "стекло", "Glass"),
    ("quyma", "литьё", "Castings"),
    ("elektr jihozlari", "электрооборудование", "Electrical Equipment"),
    ("rezina texnika", "резинотехника", "Rubber Technics"),
    ("bo‘yoq", "краска", "Paints"),
    ("o‘rindiq", "сиденье", "Seats"),
    ("akkumulyator", "аккумулятор", "Batteries"),
]
UZ_ROOTS = [
    "O‘zauto",
    "O‘zbek",
    "Uz",
    "Asaka",
    "Turon",
    "Orient",
    "Sharq",
    "Navro‘z",
    "Ipak",
    "Zarafshon",
    "Baraka",
    "Yulduz",
    "Oltin",
    "Mega",
    "Star",
    "Nur",
    "Tayanch",
    "Kamolot",
    "Yangi",
    "Buyuk",
]
UZ_TAILS = [
    "motors",
    "tex",
    "plast",
    "komponent",
    "invest",
    "trade",
    "servis",
    "metall",
    "auto",
    "industriya",
    "group",
    "sanoat",
    "kabel",
    "avto",
    "detal",
    "pro",
]
UZ_FORMS = ["MChJ", "MChJ", "MChJ", "AJ", "QK", "XK"]

KR_ROOTS = [
    "Seo",
    "Dong",
    "Hwa",
    "Shin",
    "Dae",
    "Han",
    "Sung",
    "Kum",
    "Yoo",
    "Jin",
    "Woo",
    "Hyo",
    "Min",
    "Sang",
    "Kyung",
    "Il",
    "Chang",
    "Tae",
    "Gwang",
    "Ho",
]
KR_TAILS = [
    "jin",
    "won",
    "seung",
    "il",
    "yang",
    "sung",
    "heung",
    "chang",
    "kwang",
    "myung",
    "san",
    "do",
    "hwa",
    "jung",
    "woo",
]
KR_PRODUCTS = [
    ("Automotive", "Автомотив"),
    ("Precision", "Прецижн"),
    ("Industrial", "Индастриал"),
    ("Motors", "Моторс"),
    ("Electronics", "Электроникс"),
    ("Tech", "Тек"),
    ("Plastics", "Пластикс"),
    ("Metal", "Метал"),
    ("Chemical", "Кемикал"),
    ("Parts", "Партс"),
]
KR_FORMS = ["Co., Ltd.", "Co., Ltd.", "Corp.", "Inc."]

KINDS = ["supplier"] * 14 + ["oem", "holding", "association", "agency", "research", "investor"]
LAT2CYR = [  # a rough Latin to Cyrillic spelling, for "a Latin name typed in Cyrillic"
    ("shch", "щ"),
    ("sh", "ш"),
    ("ch", "ч"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ya", "я"),
    ("yu", "ю"),
    ("yo", "ё"),
    ("o‘", "ў"),
    ("o'", "ў"),
    ("g‘", "ғ"),
    ("g'", "ғ"),
    ("a", "а"),
    ("b", "б"),
    ("c", "к"),
    ("d", "д"),
    ("e", "е"),
    ("f", "ф"),
    ("g", "г"),
    ("h", "х"),
    ("i", "и"),
    ("j", "ж"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("q", "к"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("v", "в"),
    ("w", "в"),
    ("x", "х"),
    ("y", "й"),
    ("z", "з"),
]


#: How a Russian speaker would rather type some Latin letters (used for queries, not for the data).
LAT2CYR_RUSSIAN = [
    ("o‘", "у"),
    ("o'", "у"),
    ("oʻ", "у"),
    ("j", "дж"),
    ("eo", "ео"),
    ("q", "к"),
    ("x", "кс"),
    ("ye", "е"),
    ("iy", "ий"),
    ("y", "ы"),
]


def latin_to_cyrillic(text: str, russian: bool = False) -> str:
    table = LAT2CYR_RUSSIAN + LAT2CYR if russian else LAT2CYR
    out, i, low = [], 0, text.lower()
    while i < len(text):
        for lat, cyr in table:
            if low.startswith(lat, i):
                out.append(cyr.upper() if text[i].isupper() else cyr)
                i += len(lat)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def translit(text: str, schema: object = iuliia.WIKIPEDIA) -> str:
    return schema.translate(text)  # type: ignore[attr-defined]


@dataclass
class Org:
    """One synthetic organization: names as (value, lang, kind), the first the primary."""

    names: list[tuple[str, str, str]]
    kind: str
    tier: int | None
    country: str
    website: str | None
    description: str | None
    inn: str | None = None
    ogrn: str | None = None
    stir: str | None = None
    core: str = ""  # the distinctive part of the name without legal form or quotes
    keys: set[str] = field(default_factory=set)


def _ru_org(rng: random.Random, n: int) -> tuple[list[tuple[str, str, str]], str]:
    form = rng.choice(RU_FORMS)
    if rng.random() < 0.45:
        adj, _, city_en = rng.choice(RU_CITIES)
        prod_ru, prod_en = rng.choice(PRODUCTS)
        core = f"{adj} {prod_ru} {n}"
        short = f"{city_en} {prod_en} {n}"
    else:
        brand = rng.choice(RU_ROOTS) + rng.choice(RU_TAILS)
        _, city, city_en = rng.choice(RU_CITIES)
        short = f"{translit(brand)} {city_en} {n}"
        core = f"{brand}-{city} {n}" if rng.random() < 0.5 else f"{brand} {n}"
    official = f'{form} "{core}"'
    return [
        (official, "ru", "official"),
        (translit(official), "ru", "transliteration"),
        (short, "en", "short"),
    ], core


def _uz_org(rng: random.Random, n: int) -> tuple[list[tuple[str, str, str]], str]:
    form = rng.choice(UZ_FORMS)
    city_uz, city_ru, city_en = rng.choice(UZ_CITIES)
    if rng.random() < 0.5:
        prod_uz, prod_ru, prod_en = rng.choice(UZ_PRODUCTS)
        core, ru, en = f"{city_uz} {prod_uz} {n}", f"{city_ru} {prod_ru} {n}", f"{city_en} {prod_en} {n}"
    else:
        brand = rng.choice(UZ_ROOTS) + rng.choice(UZ_TAILS)
        core, ru, en = (
            f"{brand} {n}",
            f"{latin_to_cyrillic(brand)} {n}",
            f"{brand.replace('‘', '')} {city_en} {n}",
        )
    ru_form = {"MChJ": "ООО", "AJ": "АО", "QK": "СП", "XK": "ЧП"}[form]
    return [
        (f'"{core}" {form}', "uz", "official"),
        (f'{ru_form} "{ru}"', "ru", "official"),
        (en, "en", "short"),
    ], core


def _kr_org(rng: random.Random, n: int) -> tuple[list[tuple[str, str, str]], str]:
    root = rng.choice(KR_ROOTS) + rng.choice(KR_TAILS)
    prod_en, prod_ru = rng.choice(KR_PRODUCTS)
    core = f"{root} {prod_en} {n}"
    return [
        (f"{core} {rng.choice(KR_FORMS)}", "en", "official"),
        (f'ООО "{latin_to_cyrillic(root)} {prod_ru} {n}"', "ru", "transliteration"),
        (f"{root} {n}", "en", "short"),
    ], core


def generate_orgs(count: int, seed: int = 42) -> list[Org]:
    """`count` organizations (RU 60 %, UZ 30 %, KR 10 %), three names each; every name key is
    unique across the whole set, so an import matches rows to records unambiguously."""
    rng = random.Random(seed)
    seen: set[str] = set()
    orgs: list[Org] = []
    inn_seq, stir_seq = 100_000, 300_000_000
    while len(orgs) < count:
        country = rng.choices(["RU", "UZ", "KR"], weights=[6, 3, 1])[0]
        n = rng.randint(1, 999)
        names, core = {"RU": _ru_org, "UZ": _uz_org, "KR": _kr_org}[country](rng, n)
        keys = {name_key(v) for v, _, _ in names}
        if keys & seen:
            continue
        seen |= keys
        kind = rng.choice(KINDS)
        org = Org(
            names=names,
            kind=kind,
            tier=rng.choice([1, 2, 2, 3, 3, 3]) if kind == "supplier" else None,
            country=country,
            website=f"https://example-{len(orgs)}.test" if rng.random() < 0.3 else None,
            description="Synthetic benchmark record." if rng.random() < 0.2 else None,
            core=core,
            keys=keys,
        )
        if country == "RU":
            inn_seq += 1
            org.inn = inn_check_digits(f"77{inn_seq:07d}")
            if rng.random() < 0.5:
                org.ogrn = ogrn_check_digit(f"10277{inn_seq:07d}")
        elif country == "UZ" and rng.random() < 0.7:
            stir_seq += 1
            org.stir = str(stir_seq)
        orgs.append(org)
    return orgs


def org_row(org: Org) -> list[object]:
    """The org as a row of the import's columns (exchange.COLUMNS["org"])."""
    primary, others = org.names[0], org.names[1:]
    other_names = " | ".join(f"{lang}:{kind}:{value}" for value, lang, kind in others)
    return [
        primary[0],
        primary[1],
        other_names,
        org.kind,
        org.tier,
        org.country,
        None,
        org.website,
        org.description,
        org.inn,
        org.ogrn,
        org.stir,
        "no",
    ]


def bulk_insert(url: str, orgs: list[Org]) -> None:
    """Write the orgs straight into a migrated database (SQLAlchemy Core, one transaction),
    with names keyed by the registry's own name_key, as an import would leave them."""
    from sqlalchemy import insert

    from cooplab.db.base import utcnow
    from cooplab.db.session import make_engine, session_factory
    from cooplab.registry.models import Identifier, Organization, OrganizationName
    from cooplab.vocab.names import detect_script

    engine = make_engine(url)
    now = utcnow()
    with session_factory(engine)() as session:
        start_id = 1 + (
            session.query(Organization.id).order_by(Organization.id.desc()).limit(1).scalar() or 0
        )
        org_rows, name_rows, ident_rows = [], [], []
        for i, org in enumerate(orgs):
            oid = start_id + i
            org_rows.append(
                {
                    "id": oid,
                    "name": org.names[0][0],
                    "kind": org.kind,
                    "tier": org.tier,
                    "country": org.country,
                    "website": org.website,
                    "description": org.description,
                    "illustrative": False,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            for value, lang, kind in org.names:
                name_rows.append(
                    {
                        "organization_id": oid,
                        "value": value,
                        "lang": lang,
                        "kind": kind,
                        "script": detect_script(value).value,
                        "key": name_key(value),
                    }
                )
            for scheme in ("inn", "ogrn", "stir"):
                if getattr(org, scheme):
                    ident_rows.append(
                        {"organization_id": oid, "scheme": scheme, "value": getattr(org, scheme)}
                    )
        session.execute(insert(Organization), org_rows)
        session.execute(insert(OrganizationName), name_rows)
        session.execute(insert(Identifier), ident_rows)
        session.commit()


def detect_script_is_cyrillic(text: str) -> bool:
    from cooplab.vocab.names import detect_script

    return detect_script(text).value == "cyrillic"

"""Needs worded otherwise than the labelled set's, in the three languages, still find the
suppliers that make the part (text alone: no HS code)."""

import pytest

from cooplab.matching.evaluation import EVALUATION_DAY, load_labelled_set
from cooplab.matching.profiles import Need
from cooplab.matching.ranking import rank_suppliers
from cooplab.matching.table import CapabilityTable

PARAPHRASES = [
    ("Колёса стальные R15 для седана", ["O'zAuto-Austem", "Togliatti Wheel Works"]),
    ("Exhaust silencer for a small sedan", ["Uz-Dong Won Co", "Nizhny Exhaust Systems"]),
    ("Пластиковые бамперы, окрашенные в цвет кузова", ["Uz-Koram Co", "VolgaPlast", "Namangan Plast"]),
    ("Бензобак", ["Uz-Saemyung Co", "Samara Polymer Tanks"]),
    ("Kondisioner bloki", ["Erae Climate Control", "Termoklimat"]),
    ("Rear combination lamps", ["UzChasys", "Ulyanovsk Lighting", "Namangan Chiroq"]),
    ("Проводка моторного отсека", ["UzKoje", "Volga Cable", "Toshkent Sim Tizimlari"]),
    ("Akkumulyator 55 Ah", ["Jizzakh battery plant", "Izhevsk Batteries"]),
    ("Yumshoq o'rindiqlar, mato bilan qoplangan", ["Uz-Tong Hong Co", "Kama Seating", "Jizzax Kreslo"]),
    ("Рычаги передней подвески", ["O'zAuto-Austem", "Volga Suspension"]),
    ("Laminated windscreen glass", ["Avtooyna", "NevaGlass"]),
    ("Alyuminiy quyma detallar dvigatel uchun", ["Uzauto-INZI", "IzhLit", "Toshkent Quyma"]),
]


@pytest.fixture(scope="module")
def labelled():
    return load_labelled_set()


@pytest.mark.parametrize(("text", "makers"), PARAPHRASES)
def test_the_makers_come_first(labelled, text, makers):
    table = CapabilityTable.of(labelled.workbook.capabilities)
    want = {labelled.directory.resolve_organization(name)[0].id for name in makers}
    ranking = rank_suppliers(Need(buyer="UzAuto Motors", description=text), table, on=EVALUATION_DAY)
    assert {m.supplier_id for m in ranking.matches[: len(want)]} == want

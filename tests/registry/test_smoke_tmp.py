from tests.factories import make_org, make_place
from cooplab.registry.search import search_names

def test_smoke(session):
    p = make_place(session, names=[{"value": "Андижан", "lang": "ru"}, {"value": "Andijan", "lang": "en"}, {"value":"Andizhan"}])
    make_org(session, names=[{"value": "UzAuto Motors", "lang": "en"}, {"value": "УзАвто Моторс", "lang": "ru"}], head_office_id=p.id)
    make_org(session, names=[{"value": "Uzavtosanoat"}, {"value": "O'zavtosanoat"}], kind="holding")
    make_org(session, names=[{"value": "O'zAuto-Austem"}], kind="supplier", tier=1)
    session.commit()
    for q in ["УзАвто Моторс", "uzauto motors", "UZ Auto Motors", "O'zauto", "O‘zauto", "Узавтосаноат", "Андинжан", "Andijon", "uzavto motrs"]:
        print(q, [(h.name, h.score) for h in search_names(session=session, query=q)])
    assert 0

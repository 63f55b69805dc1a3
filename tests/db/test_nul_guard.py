"""The guard behind a web form's NUL: once set on a session, no statement of its transaction
takes a text holding a NUL, whichever way it is written, and the others run."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select

from cooplab.db.nul import refuse_nul_statements
from cooplab.errors import InvalidInputError
from cooplab.registry.models import Source


def test_a_statement_with_a_nul_is_refused_naming_the_form_field(session):
    refuse_nul_statements(session, "title")
    session.add(Source(title="Отчёт о визите"))
    session.flush()  # no NUL: written
    with pytest.raises(InvalidInputError, match="title: text must not contain a NUL") as refused:
        session.execute(insert(Source), [{"title": "Отчёт"}, {"title": "От\x00чёт"}])
    assert refused.value.details[0]["code"] == "nul_character"
    session.rollback()
    refuse_nul_statements(session, "title")
    session.add(Source(title="Zavod\x00"))
    with pytest.raises(InvalidInputError):
        session.flush()
    session.rollback()
    with pytest.raises(InvalidInputError):  # a look-up is refused too, before the database reads it
        refuse_nul_statements(session, "q")
        session.scalar(select(func.count()).select_from(Source).where(Source.title == "a\x00"))
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Source)) == 0

"""REST routes of matchmaking: needs and capabilities (list, detail, create), the suppliers
ranked for a need, the needs ranked for a supplier, and marks on matches."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from cooplab.core.http import (
    ERROR_RESPONSES,
    OwnEditorDep,
    PageDep,
    PathId,
    ReaderDep,
    SelfWriterDep,
    SessionDep,
    query_filter,
)
from cooplab.core.routes import ApiRoute
from cooplab.core.schemas import ListPublic
from cooplab.core.web.render import request_language
from cooplab.matching import service
from cooplab.matching.filters import CapabilityFilter, NeedFilter
from cooplab.matching.schemas import (
    CapabilityIn,
    CapabilityPublic,
    FeedbackIn,
    FeedbackPublic,
    MatchFilter,
    MatchList,
    NeedIn,
    NeedPublic,
    PartFilter,
    PartMatches,
)

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, route_class=ApiRoute)

Matching = Annotated[MatchFilter, Depends(query_filter(MatchFilter))]


@router.get("/needs", tags=["matching"], response_model=ListPublic[NeedPublic])
def read_needs(
    actor: ReaderDep,
    session: SessionDep,
    paging: PageDep,
    filters: Annotated[NeedFilter, Depends(query_filter(NeedFilter))],
) -> ListPublic[NeedPublic]:
    """Needs you may see, by ref."""
    return service.list_needs(
        session=session, actor=actor, filters=filters, offset=paging.offset, limit=paging.limit
    )


@router.post("/needs", tags=["matching"], status_code=201, response_model=NeedPublic)
def create_need(actor: OwnEditorDep, session: SessionDep, data: NeedIn) -> NeedPublic:
    """A need of a buyer you may edit (a member: your own organization)."""
    need = service.create_need(session=session, actor=actor, data=data)
    session.commit()
    return need


@router.get("/needs/{need_id}", tags=["matching"], response_model=NeedPublic)
def read_need(actor: ReaderDep, session: SessionDep, need_id: PathId) -> NeedPublic:
    """A need you may see."""
    return service.need_detail(session=session, actor=actor, key=need_id)


@router.get("/needs/{need_id}/matches", tags=["matching"], response_model=MatchList)
def read_need_matches(
    request: Request, actor: ReaderDep, session: SessionDep, need_id: PathId, filters: Matching
) -> MatchList:
    """The best suppliers for a need among the capabilities you may see, with their reasons
    (`?lang=ru` for Russian); filters: country, tier, certification (comma-separated), top."""
    return service.need_matches(
        session=session, actor=actor, key=need_id, filters=filters, lang=request_language(request)
    )


@router.post("/needs/{need_id}/feedback", tags=["matching"], status_code=201, response_model=FeedbackPublic)
def create_feedback(
    actor: SelfWriterDep, session: SessionDep, need_id: PathId, data: FeedbackIn
) -> FeedbackPublic:
    """Mark a supplier shown for a need relevant or not (signed-in users)."""
    mark = service.add_feedback(session=session, actor=actor, need_id=need_id, data=data)
    session.commit()
    return mark


@router.get("/capabilities", tags=["matching"], response_model=ListPublic[CapabilityPublic])
def read_capabilities(
    actor: ReaderDep,
    session: SessionDep,
    paging: PageDep,
    filters: Annotated[CapabilityFilter, Depends(query_filter(CapabilityFilter))],
) -> ListPublic[CapabilityPublic]:
    """Capabilities you may see, by supplier; filtered by the supplier, its country or tier, a
    certification held, an HS code prefix or words of the description."""
    return service.list_capabilities(
        session=session, actor=actor, filters=filters, offset=paging.offset, limit=paging.limit
    )


@router.post("/capabilities", tags=["matching"], status_code=201, response_model=CapabilityPublic)
def create_capability(actor: OwnEditorDep, session: SessionDep, data: CapabilityIn) -> CapabilityPublic:
    """A capability of a supplier you may edit (a member: your own organization)."""
    cap = service.create_capability(session=session, actor=actor, data=data)
    session.commit()
    return cap


@router.get("/capabilities/{capability_id}", tags=["matching"], response_model=CapabilityPublic)
def read_capability(actor: ReaderDep, session: SessionDep, capability_id: PathId) -> CapabilityPublic:
    """A capability you may see."""
    return service.capability_detail(session=session, actor=actor, capability_id=capability_id)


@router.get("/organizations/{organization_id}/opportunities", tags=["matching"], response_model=MatchList)
def read_opportunities(
    request: Request, actor: ReaderDep, session: SessionDep, organization_id: PathId, filters: Matching
) -> MatchList:
    """The needs you may see that the organization's capabilities (those you may see) serve best."""
    return service.supplier_opportunities(
        session=session,
        actor=actor,
        organization_id=organization_id,
        filters=filters,
        lang=request_language(request),
    )


@router.get("/vehicles/{code}/suppliers", tags=["matching"], response_model=PartMatches)
def read_part_matches(
    request: Request,
    actor: ReaderDep,
    session: SessionDep,
    code: str,
    filters: Annotated[PartFilter, Depends(query_filter(PartFilter))],
) -> PartMatches:
    """Who can make a line of a vehicle's bill (`?part=` its part number): the suppliers ranked
    for a need built from the line (its HS code and name, the vehicle's plant, the line's annual
    volume), not stored; filters as for a need's matches."""
    return service.part_matches(
        session=session,
        actor=actor,
        code=code[:60],
        part_number=filters.part,
        filters=filters,
        lang=request_language(request),
    )

"""REST routes of engagements: missions, events, agreements, action items."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from cooplab.core.http import (
    ERROR_RESPONSES,
    EditorDep,
    OwnEditorDep,
    PageDep,
    PathId,
    ReaderDep,
    SessionDep,
)
from cooplab.core.routes import ApiRoute
from cooplab.core.schemas import ListPublic
from cooplab.engagements import service
from cooplab.engagements.filters import ActionItemFilter, AgreementFilter
from cooplab.engagements.schemas import (
    ActionItemCreate,
    ActionItemPublic,
    ActionItemUpdate,
    ActionStatus,
    AgreementCreate,
    AgreementPublic,
    EventIn,
    EventPublic,
    MissionCreate,
    MissionPublic,
    MissionSummary,
    MissionUpdate,
)

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, route_class=ApiRoute)


@router.get("/missions", tags=["engagements"], response_model=ListPublic[MissionSummary])
def read_missions(actor: ReaderDep, session: SessionDep, paging: PageDep) -> ListPublic[MissionSummary]:
    """Missions you may see, newest first."""
    return service.list_missions(session=session, actor=actor, offset=paging.offset, limit=paging.limit)


@router.post("/missions", tags=["engagements"], status_code=201, response_model=MissionPublic)
def create_mission(actor: EditorDep, session: SessionDep, data: MissionCreate) -> MissionPublic:
    mission = service.create_mission(session=session, actor=actor, data=data)
    session.commit()
    return mission


@router.get("/missions/{mission_id}", tags=["engagements"], response_model=MissionPublic)
def read_mission(actor: ReaderDep, session: SessionDep, mission_id: PathId) -> MissionPublic:
    """A mission with its organizations, participants, events, agreements and action items."""
    return service.mission_detail(session=session, actor=actor, mission_id=mission_id)


@router.patch("/missions/{mission_id}", tags=["engagements"], response_model=MissionPublic)
def update_mission(
    actor: EditorDep, session: SessionDep, mission_id: PathId, data: MissionUpdate
) -> MissionPublic:
    """Change a mission; `organizer_ids` and `organization_ids`, when given, replace those
    organizations (and with them who may read a parties-only mission and its events)."""
    mission = service.update_mission(session=session, actor=actor, mission_id=mission_id, data=data)
    session.commit()
    return mission


@router.delete("/missions/{mission_id}", tags=["engagements"], status_code=204)
def delete_mission(actor: EditorDep, session: SessionDep, mission_id: PathId) -> Response:
    service.delete_mission(session=session, actor=actor, mission_id=mission_id)
    session.commit()
    return Response(status_code=204)


@router.post(
    "/missions/{mission_id}/events", tags=["engagements"], status_code=201, response_model=EventPublic
)
def create_event(actor: EditorDep, session: SessionDep, mission_id: PathId, data: EventIn) -> EventPublic:
    event = service.add_event(session=session, actor=actor, mission_id=mission_id, data=data)
    session.commit()
    return event


@router.get("/agreements", tags=["engagements"], response_model=ListPublic[AgreementPublic])
def read_agreements(
    actor: ReaderDep,
    session: SessionDep,
    paging: PageDep,
    organization_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
) -> ListPublic[AgreementPublic]:
    """Agreements you may see; `organization_id` keeps those it is a party to."""
    return service.list_agreements(
        session=session,
        actor=actor,
        filters=AgreementFilter(organization_id=organization_id),
        offset=paging.offset,
        limit=paging.limit,
    )


@router.post("/agreements", tags=["engagements"], status_code=201, response_model=AgreementPublic)
def create_agreement(actor: EditorDep, session: SessionDep, data: AgreementCreate) -> AgreementPublic:
    agreement = service.create_agreement(session=session, actor=actor, data=data)
    session.commit()
    return agreement


@router.get("/agreements/{agreement_id}", tags=["engagements"], response_model=AgreementPublic)
def read_agreement(actor: ReaderDep, session: SessionDep, agreement_id: PathId) -> AgreementPublic:
    return service.get_agreement(session=session, actor=actor, agreement_id=agreement_id)


@router.get("/action-items", tags=["engagements"], response_model=ListPublic[ActionItemPublic])
def read_action_items(
    actor: ReaderDep,
    session: SessionDep,
    paging: PageDep,
    status: ActionStatus | None = None,
    organization_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    overdue: bool = False,
) -> ListPublic[ActionItemPublic]:
    """Next steps you may see, soonest due first; filter by status, responsible organization, overdue."""
    filters = ActionItemFilter(status=status, organization_id=organization_id, overdue=overdue)
    return service.list_action_items(
        session=session, actor=actor, filters=filters, offset=paging.offset, limit=paging.limit
    )


@router.post("/action-items", tags=["engagements"], status_code=201, response_model=ActionItemPublic)
def create_action_item(actor: EditorDep, session: SessionDep, data: ActionItemCreate) -> ActionItemPublic:
    item = service.create_action_item(session=session, actor=actor, data=data)
    session.commit()
    return item


@router.patch("/action-items/{item_id}", tags=["engagements"], response_model=ActionItemPublic)
def update_action_item(
    actor: OwnEditorDep, session: SessionDep, item_id: PathId, data: ActionItemUpdate
) -> ActionItemPublic:
    """Change an action item (its responsible organization's members may, too); `done` records when."""
    item = service.update_action_item(session=session, actor=actor, item_id=item_id, data=data)
    session.commit()
    return item

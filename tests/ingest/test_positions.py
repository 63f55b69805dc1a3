"""Shapes of titles the way Russian news writes them, in sentences of our own wording."""

from __future__ import annotations

from datetime import date

from cooplab.ingest import extract
from cooplab.ingest.document import Doc
from cooplab.ingest.gazetteer import Gazetteer
from cooplab.ingest.pipeline import run_pipeline


def positions(text: str, models) -> set[tuple[str, str, str | None]]:
    result = extract(text, published=date(2024, 5, 1), models=models)
    return {(p.name, pos.title, pos.organization) for p in result.people for pos in p.positions}


def test_titles_in_apposition_before_one_name(models):
    got = positions(
        "На брифинге выступил представитель пограничной службы полковник Игорь Северцев. "
        "Слово взял председатель Ассоциации автопроизводителей Татарстана, депутат Государственного "
        "Совета Рустам Хайруллин.",
        models,
    )
    assert ("Игорь Северцев", "полковник", None) in got
    assert ("Рустам Хайруллин", "председатель", "Ассоциация автопроизводителей Татарстана") in got
    assert any(p[0] == "Рустам Хайруллин" and p[1].startswith("депутат") for p in got)


def test_a_bare_title_and_a_comma_may_be_two_people(models):
    got = positions(
        "На открытии были министр экономики, глава администрации района Олег Сомов и другие гости.", models
    )
    assert all(not title.startswith("министр") for _name, title, _org in got)


def test_during_a_delegation_led_by_the_leader_is_no_title(models):
    got = positions(
        "В Казань прибыла делегация во главе с заместителем министра энергетики Ильёй Громовым.", models
    )
    assert all(title != "глава" and not title.startswith("глава ") for _name, title, _org in got)
    assert any(name == "Илья Громов" and title.startswith("заместитель министра") for name, title, _ in got)


def test_the_organization_after_from_and_after_adjectives(models):
    got = positions(
        "В работе миссии участвовал наблюдатель от ОБСЕ Карл Веберн. "
        "С заявлением выступил глава японского МИДа Кэндзи Ямада.",
        models,
    )
    assert ("Карл Веберн", "наблюдатель", "ОБСЕ") in got
    assert ("Кэндзи Ямада", "глава", "МИД") in got


def test_a_title_governing_the_instrumental(models):
    got = positions(
        "Об этом рассказал Павел Рыбин, управляющий компанией «Техносплав». "
        "Лекцию прочла Анна Белова – заведующая кафедрой прикладной механики КНИТУ.",
        models,
    )
    assert ("Павел Рыбин", "управляющий", "Техносплав") in got
    assert any(name == "Анна Белова" and title.startswith("заведующий") for name, title, _org in got)


def test_one_of_a_plural_title(models):
    got = positions("На церемонии был Марк Дюпон, один из основателей компании «Вектор».", models)
    assert any(name == "Марк Дюпон" and org == "Вектор" for name, _t, org in got)


def test_ranks_clergy_and_the_field_after_the_organization(models):
    got = positions(
        "Колонну встречал генерал-лейтенант МЧС Виктор Орлов. "
        "Молебен отслужил митрополит Казанский Кирилл. "
        "Однако директор «Роскосмоса» по пилотируемым программам Сергей Крикалёв настроен спокойно.",
        models,
    )
    assert any(name == "Виктор Орлов" and org == "МЧС" for name, _t, org in got)
    assert any(name == "Сергей Крикалёв" and title == "директор" for name, title, _o in got)


def test_a_title_word_alone_is_no_organization(models):
    result = extract(
        "Замглавы Федеральной таможенной службы Руслан Давыдов провёл совещание.",
        published=date(2024, 5, 1),
        models=models,
    )
    assert all(o.name.lower() != "замглавы" for o in result.organizations)
    assert any(pos.title == "замглавы" and pos.organization for p in result.people for pos in p.positions)


def test_coordinated_people_and_titles_respectively(models):
    got = positions(
        "Гостей встретили Иван Орлов и Анна Котова, директор и заместитель директора завода «Прогресс». "
        "Их приветствовали Олег Лунин и Пётр Гусев, заместители председателя правления банка «Заря».",
        models,
    )
    assert ("Иван Орлов", "директор", "Прогресс") in got
    assert ("Анна Котова", "заместитель директора", "Прогресс") in got
    assert {name for name, title, _o in got if title.startswith("заместитель председателя")} >= {
        "Олег Лунин",
        "Пётр Гусев",
    }


def test_the_side_a_signer_stands_for_a_relative_clause_and_a_possessive(models):
    got = positions(
        "Со стороны компании «Вектор» документ подписал генеральный директор Олег Сомов. "
        "Глава холдинга «Меридиан» Лев Ершов и его заместитель Игорь Лунин осмотрели цех. "
        "Выступила Мария Гордеева, которая недавно стала директором музея «Арсенал».",
        models,
    )
    assert ("Олег Сомов", "генеральный директор", "Вектор") in got
    assert ("Игорь Лунин", "заместитель", "Меридиан") in got
    assert any(name == "Мария Гордеева" and org == "Арсенал" for name, _t, org in got)


def test_named_into_a_post_and_a_name_between_commas(models):
    got = positions(
        "Совет директоров назначил Ивана Орлова генеральным директором завода «Прогресс». "
        "Глава ассоциации «Автокластер», Виктор Громов, открыл форум. "
        "Компания «Вектор» и её директор Олег Сомов подали иск.",
        models,
    )
    assert ("Иван Орлов", "генеральный директор", "Прогресс") in got
    assert any(name == "Виктор Громов" and org == "Автокластер" for name, _t, org in got)
    assert ("Олег Сомов", "директор", "Вектор") in got


def test_a_verb_of_heading_names_the_head_of_a_body(models):
    result = extract(
        "Иван Орлов возглавляет компанию «Вектор» с 2010 года. Анна Котова, руководившая фондом «Заря», ушла.",
        published=date(2024, 5, 1),
        models=models,
    )
    got = {(p.name, pos.organization) for p in result.people for pos in p.positions}
    assert {("Иван Орлов", "Вектор"), ("Анна Котова", "Заря")} <= got


def test_acting_titles_and_a_place_phrase_between_title_and_name(models):
    got = positions(
        "С заявлением выступил Игорь Рябов, исполняющий обязанности директора Департамента транспорта. "
        "Глава казахстанской делегации на переговорах Ерлан Сагиев поблагодарил хозяев.",
        models,
    )
    assert any(n == "Игорь Рябов" and t.startswith("исполняющий обязанности директора") for n, t, _o in got)
    assert any(name == "Ерлан Сагиев" and title.startswith("глава") for name, title, _o in got)


def test_a_headline_title_after_the_name(models):
    got = positions("Анатолий Карпов Президент ФИДЕ", models)
    assert ("Анатолий Карпов", "Президент", "ФИДЕ") in got


def test_a_state_adjective_gives_a_state_title_its_territory(models):
    result = extract(
        "Японский премьер Кэндзи Мори прибыл в Казань.", published=date(2024, 5, 1), models=models
    )
    held = [pos for p in result.people if p.name == "Кэндзи Мори" for pos in p.positions]
    assert held and held[0].organization is None and held[0].territory == "Япония"


def test_what_follows_an_organization_inside_a_title(models):
    got = positions(
        "Член Совета Федерации от Республики Татарстан Ильдар Гильмутдинов выступил первым. "
        "Член Общественного совета при главе Казани Марат Зиннатуллин согласился.",
        models,
    )
    assert any(name == "Ильдар Гильмутдинов" and org for name, _t, org in got)
    assert any(name == "Марат Зиннатуллин" and org for name, _t, org in got)


def test_two_titles_before_one_name(models):
    got = positions(
        "Сделку одобрил бывший глава Северного банка и совладелец компании «Вектор» Олег Сомов. "
        "На открытии выступила директор и основатель фонда «Заря» Анна Котова.",
        models,
    )
    assert any(n == "Олег Сомов" and t.endswith("глава") and o and "банк" in o.lower() for n, t, o in got)
    assert any(n == "Олег Сомов" and t == "совладелец" and o == "Вектор" for n, t, o in got)
    assert ("Анна Котова", "директор", "Заря") in got


def test_a_rank_after_the_tail_of_a_title_is_a_title_of_its_own(models):
    got = positions(
        "По словам заместителя начальника штаба сухопутных войск генерал-майора Олега Ветрова, "
        "учения прошли успешно.",
        models,
    )
    titles = {t for n, t, _o in got if n == "Олег Ветров"}
    assert "генерал-майор" in titles
    assert any(t.startswith("заместитель начальника штаба") and "генерал" not in t for t in titles)


def test_an_adverb_of_degree_among_the_adjectives_before_an_organization(models):
    got = positions("Выступил лидер французского крайне правого Народного союза Пауль Кёрнер.", models)
    assert any(n == "Пауль Кёрнер" and t == "лидер" and o and "союз" in o.lower() for n, t, o in got)


def test_a_title_past_a_description_between_commas(models):
    got = positions("Слово предоставили Ивану Орлову, опытному инженеру, директору завода «Вектор».", models)
    assert ("Иван Орлов", "директор", "Вектор") in got


def test_a_title_with_its_unit_and_the_name_between_commas(models):
    got = positions(
        "Бывший председатель комитета по бюджету, Анна Котова, которая теперь работает в банке, "
        "выступила против.",
        models,
    )
    assert any(n == "Анна Котова" and "председатель комитета" in t for n, t, _o in got)


def test_a_body_before_its_heading_verb_or_participle(models):
    result = extract(
        "Компанию «Вектор» возглавляет Иван Орлов. Это фонд «Заря», который возглавляет Анна Котова. "
        "На площадь вышли сторонники партии «Рассвет», возглавляемой Ильёй Громовым.",
        published=date(2024, 5, 1),
        models=models,
    )
    got = {(p.name, pos.organization) for p in result.people for pos in p.positions}
    assert {("Иван Орлов", "Вектор"), ("Анна Котова", "Заря"), ("Илья Громов", "Рассвет")} <= got


def test_the_post_before_its_verb(models):
    got = positions(
        "Директором завода «Вектор» является Иван Орлов. "
        "Генеральным директором «Прогресса» назначен Олег Сомов.",
        models,
    )
    assert ("Иван Орлов", "директор", "Вектор") in got
    assert any(n == "Олег Сомов" and t == "генеральный директор" for n, t, _o in got)


def test_a_reflexive_possessive_takes_the_body_of_the_sentence(models):
    got = positions(
        "Наблюдательный совет компании «Вектор» единогласно поддержал своего председателя Анну Котову.",
        models,
    )
    assert ("Анна Котова", "председатель", "Вектор") in got


def test_former_is_no_part_of_the_job_and_more_states_adjectives(models):
    doc = Doc(
        text="Решение поддержал Олег Сомов, бывший заместитель министра экономики Беларуси. "
        "На встрече был португальский парламентарий Жоао Перейра."
    )
    run_pipeline(doc, models=models, gazetteer=Gazetteer(), session=None)
    jobs = {(f.person.normal, f.job_text, f.state) for f in doc.positions}
    assert ("Олег Сомов", "заместитель министра экономики", None) in jobs
    assert ("Жоао Перейра", "парламентарий", "Португалия") in jobs


def test_a_second_title_after_a_name_and_words_of_time(models):
    got = positions(
        "Об этом сказал Иван Орлов, директор завода «Вектор», председатель совета фонда «Заря». "
        "Анна Котова, в прошлом директор банка «Рассвет», ушла в отставку. "
        "Олег Сомов, ныне директор фабрики «Маяк», согласился.",
        models,
    )
    assert ("Иван Орлов", "директор", "Вектор") in got
    assert any(n == "Иван Орлов" and t.startswith("председатель") and o == "Заря" for n, t, o in got)
    assert ("Анна Котова", "директор", "Рассвет") in got
    assert any(n == "Олег Сомов" and t.startswith("директор") and o == "Маяк" for n, t, o in got)


def test_a_party_after_from_and_a_field_after_a_place(models):
    result = extract(
        "Выступил депутат Государственной думы от партии «Вектор» Иван Орлов. "
        "Главный тренер сборной России по хоккею Олег Сомов назвал состав.",
        published=date(2024, 5, 1),
        models=models,
    )
    held = {(p.name, pos.organization, pos.territory) for p in result.people for pos in p.positions}
    assert any(n == "Иван Орлов" and o and "дума" in o.lower() for n, o, _t in held)
    assert ("Олег Сомов", None, "Россия") in held


def test_modifiers_that_read_as_nouns_or_participles_first(models):
    doc = Doc(
        text="Выступил старший научный сотрудник Института физики Иван Орлов. "
        "Об этом рассказал управляющий партнёр компании «Вектор» Олег Сомов. "
        "Доклад прочла член-корреспондент РАН Анна Котова."
    )
    run_pipeline(doc, models=models, gazetteer=Gazetteer(), session=None)
    jobs = {(f.person.normal, f.job_text) for f in doc.positions}
    assert ("Иван Орлов", "старший научный сотрудник") in jobs
    assert ("Олег Сомов", "управляющий партнёр") in jobs
    assert ("Анна Котова", "член-корреспондент") in jobs


def test_a_field_with_an_instrumental_and_a_ministry_written_in_lower_case(models):
    doc = Doc(
        text="Об этом сообщил заместитель гендиректора компании «Вектор» по связям с общественностью "
        "Иван Орлов. Позицию объяснил представитель минздрава Олег Сомов."
    )
    run_pipeline(doc, models=models, gazetteer=Gazetteer(), session=None)
    held = {
        (f.person.normal, f.job_text, f.organization.text if f.organization else f.unit_text)
        for f in doc.positions
    }
    assert ("Иван Орлов", "заместитель гендиректора", "Вектор") in held
    assert ("Олег Сомов", "представитель", "минздрава") in held


def test_the_organization_after_in_or_at(models):
    doc = Doc(
        text="Иван Орлов, менеджер по продажам в компании «Вектор», рассказал о планах. "
        "Об этом рассказал инженер на заводе «Прогресс» Олег Сомов."
    )
    run_pipeline(doc, models=models, gazetteer=Gazetteer(), session=None)
    held = {
        (f.person.normal, f.job_text, f.organization.text if f.organization else None) for f in doc.positions
    }
    assert ("Иван Орлов", "менеджер по продажам", "Вектор") in held
    assert ("Олег Сомов", "инженер", "Прогресс") in held


def test_first_counts_the_holders_of_an_office_but_ranks_a_deputy(models):
    doc = Doc(
        text="Памятник первому президенту республики Ивану Орлову открыли в Казани. "
        "Выступил первый заместитель министра Олег Сомов."
    )
    run_pipeline(doc, models=models, gazetteer=Gazetteer(), session=None)
    jobs = {(f.person.normal, f.job_text) for f in doc.positions}
    assert ("Иван Орлов", "президенту республики") in jobs
    assert ("Олег Сомов", "первый заместитель министра") in jobs


def test_the_side_in_quotes_before_in_the_person_of_and_after_from(models):
    got = positions(
        "Соглашение подписано между компанией «Вектор» в лице генерального директора Ивана Орлова "
        "и фондом «Заря» в лице председателя правления Анны Котовой. "
        "Протокол подписали: от «Прогресса» — директор Олег Сомов.",
        models,
    )
    assert ("Иван Орлов", "генеральный директор", "Вектор") in got
    assert any(n == "Анна Котова" and o == "Заря" for n, _t, o in got)
    assert ("Олег Сомов", "директор", "Прогресс") in got


def test_a_title_of_two_bodies_and_two_people_in_turn(models):
    got = positions("Соглашение подписали главы компаний «Вектор» и «Заря» Иван Орлов и Анна Котова.", models)
    assert ("Иван Орлов", "глава", "Вектор") in got
    assert ("Анна Котова", "глава", "Заря") in got


def test_leaving_a_post_and_an_age_before_a_title(models):
    got = positions(
        "Иван Орлов ушёл с поста директора завода «Вектор». "
        "Анна Котова освобождена от должности председателя фонда «Заря». "
        "Олег Сомов, 45-летний директор фабрики «Маяк», рассказал о планах.",
        models,
    )
    assert ("Иван Орлов", "директор", "Вектор") in got
    assert any(n == "Анна Котова" and t.startswith("председатель") and o == "Заря" for n, t, o in got)
    assert any(n == "Олег Сомов" and t.startswith("директор") and o == "Маяк" for n, t, o in got)


def test_a_short_title_with_its_full_stop(models):
    got = positions("На семинаре выступила Ирина Волкова - зав. кафедрой прикладной механики КГТУ.", models)
    assert any(p[0] == "Ирина Волкова" and p[1].startswith("зав.") and p[2] == "КГТУ" for p in got)


def test_a_word_of_what_someone_is_before_the_title(models):
    got = positions("На встрече был Тимур Ахмедов – политик и лидер партии «Наш край».", models)
    assert any(p[0] == "Тимур Ахмедов" and p[1].startswith("лидер") for p in got)


def test_a_pronoun_subject_and_the_titles_its_verbs_give(models):
    doc = Doc(
        text=(
            "Кандидатом выдвинут Тимур Ахмедов. В настоящий момент он является депутатом парламента "
            "от партии «Наш край», также является членом бюджетного комитета."
        )
    )
    run_pipeline(doc, models=models, gazetteer=Gazetteer(), session=None)
    got = {(f.person.normal, f.job_text, f.unit_text) for f in doc.positions}
    assert ("Тимур Ахмедов", "депутатом", "парламента") in got
    assert ("Тимур Ахмедов", "членом", "бюджетного комитета") in got


def test_a_pronoun_of_the_other_gender_or_two_people_before_is_no_one(models):
    for text in (
        "Кандидатом выдвинут Тимур Ахмедов. Сейчас она является депутатом парламента.",
        "Встретились Тимур Ахмедов и Ольга Петрова. Сейчас он является депутатом парламента.",
    ):
        doc = Doc(text=text)
        run_pipeline(doc, models=models, gazetteer=Gazetteer(), session=None)
        assert not [f for f in doc.positions if f.job_text == "депутатом"], text


def test_titles_coordinated_after_a_verb_go_to_one_person(models):
    doc = Doc(
        text="Ольга Петрова стала директором завода «Степной металл» и председателем совета директоров."
    )
    run_pipeline(doc, models=models, gazetteer=Gazetteer(), session=None)
    jobs = {f.job_text for f in doc.positions if f.person.normal == "Ольга Петрова"}
    assert {"директором", "председателем"} <= jobs


def test_adjectives_before_a_body_named_by_a_noun_belong_to_its_name(models):
    doc = Doc(
        text=(
            "Об этом заявил глава внешнеполитического ведомства Казахстана Ерлан Сагиев. "
            "Панихиду возглавил Игорь Северцев, глава синодального Отдела по делам молодёжи."
        )
    )
    run_pipeline(doc, models=models, gazetteer=Gazetteer(), session=None)
    got = {(f.person.normal, f.organization_name) for f in doc.positions}
    assert ("Ерлан Сагиев", "внешнеполитическое ведомство Казахстана") in got
    assert ("Игорь Северцев", "синодальный Отдел по делам молодёжи") in got


def test_a_second_body_after_and_keeps_the_title(models):
    doc = Doc(
        text=(
            "Слово взял Олег Сомов, член Общественной палаты и российско-казахстанской рабочей группы "
            "по промышленной кооперации."
        )
    )
    run_pipeline(doc, models=models, gazetteer=Gazetteer(), session=None)
    units = {f.unit_text for f in doc.positions if f.person.normal == "Олег Сомов"}
    assert "российско-казахстанской рабочей группы по промышленной кооперации" in units


def test_a_post_named_first_and_the_person_who_took_it(models):
    got = positions(
        "Место директора завода «Степной металл» в новом году занял инженер Олег Сомов. "
        "Пост председателя совета фонда «Заря» занимает Анна Котова.",
        models,
    )
    assert ("Олег Сомов", "директор", "Степной металл") in got
    assert any(p[0] == "Анна Котова" and p[1].startswith("председатель") for p in got)


def test_the_country_a_state_title_points_back_to_and_a_title_before_the_name(models):
    doc = Doc(
        text=(
            "Выборы в Казахстане пройдут в марте. В случае победы оппозиции премьер-министром страны "
            "станет глава партии «Наш край» Анна Котова."
        )
    )
    run_pipeline(doc, models=models, gazetteer=Gazetteer(), session=None)
    got = {
        (f.person.normal, f.job_text, f.territory.normal if f.territory else None)
        for f in doc.positions
        if f.person.normal == "Анна Котова"
    }
    assert ("Анна Котова", "премьер-министром", "Казахстан") in got


def test_a_body_named_with_its_country_after_it(models):
    doc = Doc(text="Замглавы Федеральной таможенной службы России Олег Сомов заявил о новых правилах.")
    run_pipeline(doc, models=models, gazetteer=Gazetteer(), session=None)
    names = {f.organization_name or (f.organization.normal if f.organization else "") for f in doc.positions}
    assert any(name.endswith("служба России") for name in names), names


def test_an_organization_the_model_glued_to_the_person_after_it(models):
    """NER reads "Аль-Кайды Хамзы бин Ладена" as one person; the dictionary knows the first word for
    an organization's name in the genitive: the organization, then the person."""
    got = positions("После гибели лидера Аль-Кайды Хамзы бин Ладена группировка ослабла.", models)
    assert ("Хамза бин Ладен", "лидер", "Аль-Каида") in got
    assert all(not name.startswith("Аль-") for name, _title, _org in got)


def test_a_branch_of_a_body_named_by_the_territory_it_serves(models):
    """ "по" + a place in the dative after a body's name names its branch ("управление ФНС по Тульской
    области"): the place of work is the branch, not the whole body."""
    doc = Doc(
        text="Марина Зуева, начальник отдела кадров ФНС по Тульской области и Калуге, ответила на вопросы."
    )
    run_pipeline(doc, models=models, gazetteer=Gazetteer(), session=None)
    names = {f.organization_name for f in doc.positions if f.person.normal == "Марина Зуева"}
    assert any(name.endswith("по Тульской области и Калуге") for name in names), names


def test_a_paragraph_without_a_full_stop_ends_at_the_blank_line(models):
    """A signature line ("— Имя, должность") has no full stop; the blank line after it ends the sentence,
    so the title does not run on into the next paragraph."""
    doc = Doc(
        text="Проверка прошла спокойно.\n\n— Олег Сомов, заместитель начальника пресс-службы МЧС по "
        "Калужской области\n\nЖители района смогут подать жалобы до пятницы."
    )
    run_pipeline(doc, models=models, gazetteer=Gazetteer(), session=None)
    got = {(f.person.normal, f.job_text, f.organization_name) for f in doc.positions}
    assert ("Олег Сомов", "заместитель начальника", "пресс-служба МЧС по Калужской области") in got, got
    assert not any(s.text.startswith("— Олег") and "Жители" in s.text for s in doc.sentences)


def test_a_bare_title_in_a_body_the_sentence_opens_with(models):
    """A sentence set in a body ("В парламенте, где ...") gives a bare title after it that body."""
    got = positions(
        "В Государственной думе, где споры о бюджете не утихают, спикер Олег Сомов призвал к компромиссу.",
        models,
    )
    assert any(name == "Олег Сомов" and title == "спикер" and org for name, title, org in got), got


def test_a_name_spelled_in_latin_in_brackets_then_the_title(models):
    """ "Имя (Latin Name), должность": the bracketed spelling repeats the name; the title after it is the person's."""
    got = positions("На встрече выступил Джеймс Уолтон (James Walton), директор компании «Орбита».", models)
    assert any(name == "Джеймс Уолтон" and title == "директор" for name, title, _org in got), got


def test_a_state_title_in_apposition_serves_the_country_before_it(models):
    """ "глава миссии Казахстана советник министра X": the second title names no country, the first does."""
    doc = Doc(
        text="Руководитель миссии Казахстана в регионе советник министра Айгуль Сапарова открыла выставку."
    )
    run_pipeline(doc, models=models, gazetteer=Gazetteer(), session=None)
    got = {(f.job_text, f.territory.normal if f.territory else None) for f in doc.positions}
    assert ("советник министра", "Казахстан") in got, got


def test_an_envoy_of_the_president_in_a_district(models):
    """ "полпред президента в X федеральном округе": the district is the place of the post."""
    doc = Doc(text="Полпред президента в Приволжском федеральном округе Игорь Ланской провёл совещание.")
    run_pipeline(doc, models=models, gazetteer=Gazetteer(), session=None)
    got = {(f.person.normal, f.territory.normal if f.territory else None) for f in doc.positions}
    assert ("Игорь Ланской", "Приволжский федеральный округ") in got, got


def test_a_title_from_an_organization(models):
    """ "инженер из отдела сборки «Вектора»": "из" + the body one works at, a unit's words before it."""
    got = positions(
        "По словам Олега Карпова, инженера из отдела сборки «Вектора», смены станут короче.", models
    )
    assert ("Олег Карпов", "инженер", "Вектор") in got, got


def test_a_title_and_a_relative_clause_naming_where_one_works(models):
    """ "Имя, бывший инженер, который теперь работает в «Векторе»": the clause names the title's body."""
    got = positions(
        "Интервью дал Павел Рябов, бывший инженер, который сейчас по-прежнему работает в «Векторе».", models
    )
    assert ("Павел Рябов", "бывший инженер", "Вектор") in got, got


def test_words_of_time_after_a_unit_name_no_body(models):
    """ "тренер сборной прошлого сезона, Имя": "прошлого сезона" says when, the unit is "сборной"."""
    doc = Doc(text="Главный тренер сборной прошлого сезона, Артём Гусев, перешёл в другой клуб.")
    run_pipeline(doc, models=models, gazetteer=Gazetteer(), session=None)
    got = {(f.person.normal, f.unit_text) for f in doc.positions}
    assert ("Артём Гусев", "сборной") in got, got

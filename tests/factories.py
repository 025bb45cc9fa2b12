"""Realistic objects for tests."""

import datetime
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model

from strategy import approval, interchange, versioning
from strategy.demo import DEMO_FILE, GERMAN_DEMO_FILE
from strategy.editing import BASE_STATE, signed_state
from strategy.limits import MAX_LISTENING_SOURCES
from strategy.listening import analysis
from strategy.listening.records import MONITORING, OWN_PAGES, AuthorKind, Record
from strategy.models import (
    BudgetLine,
    CadenceEntry,
    ConceptVersion,
    ContentPillar,
    FirstStep,
    IntegrationProcess,
    InterestGroup,
    ListeningChannel,
    MeasurementItem,
    Membership,
    Objective,
    OpinionLeader,
    Person,
    Role,
    TargetGroup,
    Team,
    Tool,
)
from strategy.platforms import Platform
from strategy.rowsummaries import SUMMARY


def make_user(username="anne", **extra):
    return get_user_model().objects.create_user(
        username=username, password="pw-" + username, **extra
    )


def make_team(name="Communication", slug=None, members=()):
    """A team; ``members`` is a sequence of (user, role)."""
    team = Team.objects.create(name=name, slug=slug or name.lower().replace(" ", "-"))
    for user, role in members:
        Membership.objects.create(team=team, user=user, role=role)
    return team


def make_concept(team, by=None, title="Stratégie réseaux sociaux", rows=1):
    """A concept whose draft has ``rows`` rows in every list, all linked."""
    concept = versioning.create_concept(
        team=team,
        title=title,
        organisation="Hôpital du Pied-du-Jura",
        language="fr",
        by=by,
    )
    fill_draft(concept.draft, rows=rows)
    return concept


def fill_draft(draft, rows=1):
    """Put ``rows`` realistic rows into every list of ``draft`` and fill its texts."""
    draft.context = "L'hôpital **recrute** et veut dialoguer."
    draft.listening_summary = "On parle de nous sur LinkedIn et Facebook."
    draft.sponsor_name = "Dr Marc Favre"
    draft.save()
    groups = TargetGroup.objects.bulk_create(
        TargetGroup(
            version=draft,
            key=f"tg{i}",
            position=i,
            name=f"Groupe {i}",
            platforms=["linkedin"],
            priority="high",
        )
        for i in range(rows)
    )
    objectives = Objective.objects.bulk_create(
        Objective(
            version=draft,
            key=f"ob{i}",
            position=i,
            title=f"Objectif {i}",
            kpi="Abonnés",
            baseline=Decimal("100"),
            target=Decimal("250.5"),
            unit="abonnés",
            due=datetime.date(2027, 6, 30),
        )
        for i in range(rows)
    )
    pillars = ContentPillar.objects.bulk_create(
        ContentPillar(
            version=draft,
            key=f"cp{i}",
            position=i,
            name=f"Thème {i}",
            platforms=["linkedin", "instagram"],
            frequency="1× par semaine",
        )
        for i in range(rows)
    )
    measurements = MeasurementItem.objects.bulk_create(
        MeasurementItem(version=draft, key=f"me{i}", position=i, kpi="Portée")
        for i in range(rows)
    )
    Objective.target_groups.through.objects.bulk_create(
        Objective.target_groups.through(objective_id=o.pk, targetgroup_id=g.pk)
        for o, g in zip(objectives, groups, strict=True)
    )
    ContentPillar.target_groups.through.objects.bulk_create(
        ContentPillar.target_groups.through(contentpillar_id=p.pk, targetgroup_id=g.pk)
        for p, g in zip(pillars, groups, strict=True)
    )
    ContentPillar.objectives.through.objects.bulk_create(
        ContentPillar.objectives.through(contentpillar_id=p.pk, objective_id=o.pk)
        for p, o in zip(pillars, objectives, strict=True)
    )
    MeasurementItem.objectives.through.objects.bulk_create(
        MeasurementItem.objectives.through(measurementitem_id=m.pk, objective_id=o.pk)
        for m, o in zip(measurements, objectives, strict=True)
    )
    for model, values in (
        (
            ListeningChannel,
            {
                "platform": "facebook",
                "mentions_per_month": 40,
                "tone": "mixed",
                "is_present": True,
            },
        ),
        (OpinionLeader, {"name": "Blog santé", "platforms": ["blog"]}),
        (InterestGroup, {"name": "Syndicat", "kind": "interest_group"}),
        (BudgetLine, {"item": "Annonces", "amount": Decimal("1200.50")}),
        (Person, {"role": "Community manager", "hours_per_week": Decimal("16.5")}),
        (Tool, {"name": "Outil de veille"}),
        (IntegrationProcess, {"department": "hr"}),
        (CadenceEntry, {"platform": "linkedin", "rhythm": "3× par semaine"}),
        (FirstStep, {"action": "Former l'équipe", "due": datetime.date(2027, 1, 15)}),
    ):
        model.objects.bulk_create(
            model(
                version=draft, key=f"{model.__name__.lower()}{i}", position=i, **values
            )
            for i in range(rows)
        )
    return draft


def complete_draft(draft):
    """Fill in what ``fill_draft`` leaves open, so that every step is complete."""
    draft.dialogue_questions = "Nous répondons à chaque question."
    draft.dialogue_response_time = "24 heures"
    draft.integration_culture = "Une culture du dialogue."
    draft.feedback_to_action = "La direction décide chaque mois."
    draft.save()
    draft.readiness.update(score=4)
    ListeningChannel.objects.bulk_create(
        ListeningChannel(version=draft, key=platform, position=90, platform=platform)
        for platform in ("linkedin", "instagram")
    )
    return draft


def make_large_concept(team, by=None):
    """A concept whose draft is large, to render: all rows linked, long texts.

    50 objectives, 30 target groups, 100 content pillars, 80 budget lines in two
    currencies, 30 rows in every other list, and context and listening summary of
    20 Markdown paragraphs with lists and tables.
    """

    def long_markdown(subject):
        blocks = []
        for i in range(20):
            blocks.append(
                f"**{subject} {i + 1}.** Les équipes observent, répondent et "
                "mesurent ; chaque mois, la direction reçoit un bilan chiffré des "
                "échanges, des questions ouvertes et des actions décidées."
            )
            if i % 4 == 1:
                blocks.append("\n".join(f"- Point {i}.{j} : *suivi*" for j in range(4)))
            if i % 5 == 3:
                rows = "\n".join(f"| Canal {j} | {10 * j} | {j}/5 |" for j in range(6))
                blocks.append(f"| Canal | Mentions | Ton |\n|---|---:|---|\n{rows}")
        return "\n\n".join(blocks)

    concept = make_concept(team, by=by, title="Grand concept", rows=30)
    draft = concept.draft
    draft.context = long_markdown("Contexte")
    draft.listening_summary = long_markdown("Écoute")
    draft.listening_evidence = [
        listening_source(
            name=f"export-{n}.csv", own=n % 3 == 2, months=36, platforms=PLATFORMS
        )
        for n in range(MAX_LISTENING_SOURCES)
    ]
    draft.save()
    groups = list(draft.target_groups.order_by("position"))
    for group in groups:
        group.description = "Professionnels de la région, de 25 à 50 ans. " * 3
        group.information_needs = "Horaires, salaires, formation continue."
        group.platforms = ["linkedin", "instagram", "tiktok"][: 1 + group.position % 3]
    TargetGroup.objects.bulk_update(
        groups, ["description", "information_needs", "platforms"]
    )
    start = draft.objectives.count()
    Objective.objects.bulk_create(
        Objective(
            version=draft,
            key=f"ob{i}",
            position=i,
            title=f"Objectif {i}",
            goal="employer",
            description="Faire connaître l'employeur, *humain et formateur*. " * 2,
            kpi="Candidatures par mois",
            baseline=Decimal(4 + i),
            target=Decimal(10 + i),
            unit="candidatures",
            due=datetime.date(2027, 12, 31),
        )
        for i in range(start, 50)
    )
    objectives = list(draft.objectives.order_by("position"))
    Objective.target_groups.through.objects.bulk_create(
        Objective.target_groups.through(objective_id=o.pk, targetgroup_id=g.pk)
        for o in objectives[start:]
        for g in groups[o.position % 10 : o.position % 10 + 3]
    )
    start = draft.pillars.count()
    ContentPillar.objects.bulk_create(
        ContentPillar(
            version=draft,
            key=f"cp{i}",
            position=i,
            name=f"Thème {i}",
            description="Portraits de collaborateurs de **tous les métiers**. " * 3,
            formats="Vidéos, carrousels, articles",
            platforms=["linkedin", "instagram"],
            frequency="1× par semaine",
            owner="Maude Chappuis",
        )
        for i in range(start, 100)
    )
    pillars = list(draft.pillars.order_by("position"))
    ContentPillar.target_groups.through.objects.bulk_create(
        ContentPillar.target_groups.through(contentpillar_id=p.pk, targetgroup_id=g.pk)
        for p in pillars[start:]
        for g in groups[p.position % 28 : p.position % 28 + 2]
    )
    ContentPillar.objectives.through.objects.bulk_create(
        ContentPillar.objectives.through(contentpillar_id=p.pk, objective_id=o.pk)
        for p in pillars[start:]
        for o in objectives[p.position % 48 : p.position % 48 + 2]
    )
    start = draft.budget_lines.count()
    categories = BudgetLine.Category.values
    periods = BudgetLine.Period.values
    BudgetLine.objects.bulk_create(
        BudgetLine(
            version=draft,
            key=f"budgetline{i}",
            position=i,
            item=f"Poste {i}",
            category=categories[i % len(categories)],
            amount=Decimal(100 * i) + Decimal("0.25"),
            currency="EUR" if i % 8 == 0 else "CHF",
            period=periods[i % len(periods)],
        )
        for i in range(start, 80)
    )
    return concept


ROLES = [Role.OWNER, Role.EDITOR, Role.REVIEWER, Role.VIEWER]

PLATFORMS = [code for code in Platform.values if code != Platform.OTHER]


def listening_source(
    *, name="mentions.csv", own=False, months=3, platforms=("x", "instagram", "news")
) -> dict:
    """The figures of an export (``listening.analysis``), of mentions or of the own
    pages, over ``months`` calendar months from January 2025: every figure filled."""
    found = analysis.Analysis(public=["public_voice"])
    tones = ("positive", "neutral", "negative")
    for n in range(40 * months):
        platform = platforms[n % len(platforms)]
        found.add(
            Record(
                day=datetime.date(2025 + n // 40 // 12, 1 + n // 40 % 12, 1 + n % 28),
                platform=platform,
                tone="" if own else tones[n % 3],
                author="" if own else ("public_voice", f"voice_{n % 30}")[n % 5 > 0],
                author_kind=AuthorKind.ORGANISATION if platform == "news" else "person",
                reach=100 * (n % 30),
                engagement=n % 17,
                text=f"#Thème{n % 7} Les soignants de l’hôpital, sujet {n % 23}",
                post_format=("Reel", "Photo", "Carrousel", "Vidéo")[n % 4]
                if own
                else "",
            )
        )
    return found.source(
        name=name,
        tool="meta" if own else "talkwalker",
        kind=OWN_PAGES if own else MONITORING,
    )


def step_post_data(step_forms, *, blank_rows=False, opened=(), **changes):
    """What a browser posts for a step whose forms show their current values.

    A row shown as its summary posts its id, position and ``SUMMARY``; a row the
    page shows whole, or that the user opened (its key in ``opened``, or
    ``EVERY_ROW``), its fields, as the page got them. With ``blank_rows``, also the
    blank rows the page shows. The page's state comes along, as the page carries it.
    """
    data = {} if step_forms.is_empty else {BASE_STATE: signed_state(step_forms)}

    def put(form):
        for field in form:
            value = field.value()
            if isinstance(field.field.widget, forms.CheckboxInput):
                if value:
                    data[field.html_name] = "on"
                continue
            if getattr(field.field.widget, "allow_multiple_selected", False):
                data[field.html_name] = [str(item) for item in value or ()]
            elif isinstance(value, datetime.date):
                data[field.html_name] = value.isoformat()
            else:
                data[field.html_name] = "" if value is None else str(value)

    def put_summary(row):
        data[row.add_prefix("id")] = str(row.instance.pk)
        data[row.add_prefix(SUMMARY)] = "1"
        data[row.add_prefix("ORDER")] = str(row.order)

    if step_forms.form is not None:
        put(step_forms.form)
    for formset in step_forms.formsets:
        put(formset.management_form)
        for index, form in enumerate(formset.initial_forms):
            if not form.is_summary:
                put(form)
            elif form.key in opened:
                put(formset.row_form(form.instance, index))
            else:
                put_summary(form)
        if blank_rows:
            for form in formset.extra_forms:
                put(form)
    data.update(changes)
    return data


def sides(ops):
    """The old and the new text that word-diff operations describe."""
    old = "".join(op.text for op in ops if op.op != "insert")
    new = "".join(op.text for op in ops if op.op != "delete")
    return old, new


def long_text(words, seed=0):
    sentences = []
    for i in range(words // 12):
        sentences.append(
            f"Phrase {i + seed} : les équipes observent, répondent et mesurent "
            "chaque mois."
        )
        if i % 10 == 9:
            sentences.append("\n\n")
    return " ".join(sentences)


# Shapes of concept ----------------------------------------------------------------
# Every page must answer for each of these; tests/test_every_page.py visits them all.


def make_new_concept(team, by):
    """A concept just created: an empty draft, in German."""
    return versioning.create_concept(
        team=team,
        title="Neues Konzept",
        organisation="Stadt Biel",
        language="de",
        by=by,
    )


def make_demo_concept(team, by, path=DEMO_FILE):
    """A demo concept that ``make run`` loads: three versions, one approved. The
    French one, or the German one with ``path=GERMAN_DEMO_FILE``."""
    return interchange.import_concept(
        interchange.loads(path.read_bytes()), team=team, by=by
    )


def make_german_demo_concept(team, by):
    return make_demo_concept(team, by, GERMAN_DEMO_FILE)


def make_history(team, by):
    """A filled concept approved once (v1), frozen once (v2), with a draft (v3)."""
    concept = make_concept(team, by=by)
    approval.submit(concept.draft, by=by, note="Pour la direction")
    approval.approve(concept.draft, by=by, comment="Validé")
    versioning.freeze(concept.draft, by=by, note="Mise à jour")
    return concept


def make_imported_concept(team, by):
    """A concept imported from another installation's file, with people's names."""
    document = interchange.export_concept(make_history(team, by))
    return interchange.import_concept(document, team=team, by=None)


def make_nameless_concept(team, by):
    """Imported from a file that names nobody: no authors, no approver, no freezer."""
    document = interchange.export_concept(make_history(team, by))
    for version in document["versions"]:
        version.update(frozen_by="", authors="", sponsor_name="")
        for person in version["people"]:
            person["name"] = ""
    return interchange.import_concept(document, team=team, by=None)


def make_concept_in_review(team, by):
    concept = make_concept(team, by=by)
    approval.submit(concept.draft, by=by, note="Prête pour la direction")
    return concept


def make_concept_sent_back(team, by):
    concept = make_concept_in_review(team, by)
    approval.send_back(concept.draft, by=by, comment="Le budget manque.")
    return concept


def make_frozen_only_concept(team, by):
    """A concept without a working draft: all its versions are frozen."""
    concept = make_history(team, by)
    ConceptVersion.objects.filter(pk=concept.draft.pk).delete()
    return concept


def make_concept_of_a_deleted_member(team, by):
    """Written, frozen and submitted by a member whose account was deleted since."""
    leaver = make_user("leaver", first_name="Léa", last_name="Départ")
    Membership.objects.create(team=team, user=leaver, role=Role.EDITOR)
    concept = make_concept(team, by=leaver)
    versioning.freeze(concept.draft, by=leaver, note="Première version")
    approval.submit(concept.draft, by=leaver, note="Relue")
    leaver.delete()
    return concept


SHAPES = {
    "new": make_new_concept,
    "demo": make_demo_concept,
    "German demo": make_german_demo_concept,
    "history": make_history,
    "imported": make_imported_concept,
    "imported without names": make_nameless_concept,
    "large": lambda team, by: make_large_concept(team, by=by),
    "in review": make_concept_in_review,
    "sent back": make_concept_sent_back,
    "only frozen versions": make_frozen_only_concept,
    "of a deleted member": make_concept_of_a_deleted_member,
}
"""Each kind of concept a team may have, built by ``SHAPES[name](team, by)``."""

"""Self-assessments at a large consortium's size (issue 12, "Figures"):

- scoring: 10,000 generated submitted DMA assessments (answers at random maturity levels,
  assessments.generate), each scored from its answers as submitting does; time per assessment;
- the results page with its cohort benchmark over 10,000 submitted assessments of 10,000 organisations
  (sectors, sizes and countries spread so that cohorts are a few hundred), requested through Django's test
  client as a signed-in SME, 50 times for different organisations: median and p95, and its queries;
- a cluster's page of its members' assessments, 2,000 members sharing their data, each with a T0 and a T1;
- the service portfolio beside them: 31 verified clusters with 10 active services each (each improving 1-3 DMA
  dimensions, a fifth for members only, a third for some countries only). The results page above recommends from
  it; the public portfolio page and the big cluster's portfolio analysis (its 2,000 members' weakest dimensions
  against the 310 services) are timed too.

    python benchmarks/assessment_bench.py [N] [--json]
"""

import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import fresh_database  # noqa: E402

NACE = ["36.00", "37.00", "38.11", "38.32", "39.00", "43.21", "43.22", "28.29", "71.12", "35.11"]
SIZES = ["micro", "small", "medium"]
COUNTRIES = ["RO", "MD", "UA", "BG", "GE", "AM", "TN", "JO"]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def run(n: int = 10_000) -> dict:
    with fresh_database(any_host=True):
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from greenbridge.assessments.generate import answers_at
        from greenbridge.assessments.models import Assessment
        from greenbridge.assessments.services import latest_questionnaire, load_shipped
        from greenbridge.orgs.models import Membership, Organisation

        load_shipped()
        questionnaire = latest_questionnaire("eu-edih-dma-sme")
        scorer = questionnaire.scorer
        rng = random.Random(12)
        dims = [d.id for d in questionnaire.spec.dimensions]
        answers = []
        for _ in range(n):
            level = rng.uniform(0.05, 0.9)
            answers.append(answers_at(scorer, {d: level + rng.uniform(-0.2, 0.2) for d in dims}, rng))

        # Scoring, as submitting does: every required question answered, then the scores.
        times = []
        scores = []
        for a in answers:
            t = time.perf_counter()
            missing = scorer.unanswered(a)
            s = scorer.score(a)
            times.append((time.perf_counter() - t) * 1000)
            assert not missing
            scores.append(s)

        orgs = Organisation.objects.bulk_create(
            Organisation(
                name=f"Company {i}",
                slug=f"company-{i}",
                kind=Organisation.Kind.SME,
                country=rng.choice(COUNTRIES),
                size_class=rng.choice(SIZES),
                nace_codes=[rng.choice(NACE)],
            )
            for i in range(n)
        )
        today = timezone.localdate()

        def submitted(org, stage, taken_on, answers_, scores_) -> Assessment:
            return Assessment(
                organisation=org,
                questionnaire=questionnaire,
                stage=stage,
                taken_on=taken_on,
                status=Assessment.Status.SUBMITTED,
                answers=answers_,
                mode=scores_.mode,
                overall=scores_.overall,
                band=scores_.band,
                dimension_scores=scores_.dimensions,
                question_scores=scores_.questions,
            )

        Assessment.objects.bulk_create(
            submitted(org, "T0", today - timezone.timedelta(days=rng.randrange(1, 400)), a, s)
            for org, a, s in zip(orgs, answers, scores, strict=True)
        )
        # A cluster of 2,000 members sharing their data, each with a T0 and a T1 assessment: its members' page.
        from greenbridge.orgs.models import ClusterMembership

        cluster = Organisation.objects.create(
            name="Big cluster", slug="big-cluster", kind="cluster", country="RO", verification="verified"
        )
        members = orgs[:2000]
        ClusterMembership.objects.bulk_create(
            ClusterMembership(cluster=cluster, member=m, shares_private_data=True) for m in members
        )
        Assessment.objects.bulk_create(
            submitted(m, "T1", today, answers[(i + n // 2) % n], scores[(i + n // 2) % n])
            for i, m in enumerate(members)
        )
        # The service portfolio: the big cluster's catalogue and 30 other clusters'.
        from greenbridge.portfolio.models import Service

        others = Organisation.objects.bulk_create(
            Organisation(
                name=f"Cluster {i}",
                slug=f"cluster-{i}",
                kind="cluster",
                country=rng.choice(COUNTRIES),
                verification="verified",
            )
            for i in range(30)
        )
        providers = [cluster, *others]
        Service.objects.bulk_create(
            Service(
                provider=provider,
                name=f"Service {j} of {provider.name}",
                category=rng.choice(Service.Category.values),
                summary="Advice on the dimension it improves, for companies of the cluster's region.",
                description="Generated for the benchmark. " * 20,
                formats=rng.sample(Service.Format.values, 2),
                pricing=rng.choice(Service.Pricing.values),
                price=100,
                member_price=50,
                members_only=rng.random() < 0.2,
                countries=rng.sample(COUNTRIES, 3) if rng.random() < 0.33 else [],
                languages=["en", rng.choice(["ro", "uk", "fr"])],
                dimensions=[f"eu-edih-dma-sme:{d}" for d in rng.sample(dims, rng.randint(1, 3))],
                status="active",
            )
            for provider in providers
            for j in range(10)
        )
        # What a web process holds is the app, not the benchmark's generated answers and organisations: dropped before
        # pages are timed (a heap of them makes each full garbage collection cost tens of milliseconds). The rest as a
        # web process starts (greenbridge/wsgi.py): every view imported, the CPV lexicon built, the heap frozen.
        sample = rng.sample(orgs, 50)
        n_members = len(members)
        del answers, scores, orgs, members, others
        from django.urls import get_resolver

        from greenbridge.core import heap
        from greenbridge.reference.lexicon import cpv_lexicon

        get_resolver().url_patterns  # noqa: B018
        cpv_lexicon()
        heap.freeze()
        user = get_user_model().objects.create_user(username="bench@example.org", email="bench@example.org")
        client = Client()
        client.force_login(user)
        page_times, queries, cohorts, recommended = [], [], [], []
        for org in sample:
            Membership.objects.update_or_create(user=user, defaults={"organisation": org, "role": "admin"})
            pk = Assessment.objects.filter(organisation=org, stage="T0").values_list("pk", flat=True).get()
            with CaptureQueriesContext(connection) as captured:
                t = time.perf_counter()
                response = client.get(f"/assessments/{pk}/")
                page_times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, response.status_code
            found = re.search(rb"of the ([\d,]+) organisations like yours", response.content)
            assert found, "no cohort on the results page"
            queries.append(len(captured))
            cohorts.append(int(found.group(1).replace(b",", b"")))
            section = response.content.split(b'id="recommended"')[1].split(b"</section>")[0]
            recommended.append(section.count(b'class="result service"'))
        page_times.sort()

        Membership.objects.filter(user=user).delete()
        Membership.objects.create(user=user, organisation=cluster, role="advisor")
        cluster_times = []
        for _ in range(40):
            t = time.perf_counter()
            response = client.get("/assessments/cluster/big-cluster/?questionnaire=eu-edih-dma-sme")
            cluster_times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, response.status_code
        assert b"Page 1 of " in response.content
        cluster_times.sort()

        def timed(url: str, times: int) -> list[float]:
            out = []
            for _ in range(times):
                t = time.perf_counter()
                response = client.get(url)
                out.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            return sorted(out)

        analysis_times = timed("/services/analysis/big-cluster/?questionnaire=eu-edih-dma-sme", 20)
        portfolio_times = timed("/services/", 40)
        filtered_times = timed("/services/?q=advice&dimension=eu-edih-dma-sme%3Adata_management&country=RO", 40)
        return {
            "assessments": n,
            "questions": len(scorer.questions),
            "scoring": {
                "median_ms": statistics.median(times),
                "p95_ms": percentile(times, 95),
                "max_ms": max(times),
                "total_s": sum(times) / 1000,
            },
            "results_page": {
                "pages": len(page_times),
                "median_ms": statistics.median(page_times),
                "p95_ms": percentile(page_times, 95),
                "max_ms": page_times[-1],
                "queries": max(queries),
                "median_cohort": statistics.median(cohorts),
                "median_recommended": statistics.median(recommended),
            },
            "cluster_page": {
                "members": n_members,
                "pages": len(cluster_times),
                "median_ms": statistics.median(cluster_times),
                "p95_ms": percentile(cluster_times, 95),
                "max_ms": cluster_times[-1],
            },
            "portfolio": {
                "services": Service.objects.count(),
                "providers": len(providers),
                **{
                    name: {
                        "median_ms": statistics.median(t),
                        "p95_ms": percentile(t, 95),
                        "max_ms": t[-1],
                    }
                    for name, t in (
                        ("analysis", analysis_times),
                        ("portfolio_page", portfolio_times),
                        ("portfolio_filtered", filtered_times),
                    )
                },
            },
        }


if __name__ == "__main__":
    import json

    size = int(next((a for a in sys.argv[1:] if a.isdigit()), "10000"))
    result = run(size)
    print(json.dumps(result) if "--json" in sys.argv else result)

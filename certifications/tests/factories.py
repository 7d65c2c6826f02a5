import factory

from certifications.models import Certification, ExamDomain, Level


class CertificationFactory(factory.django.DjangoModelFactory):
    """A certification with a two-domain blueprint (60/40) unless `domains` says otherwise."""

    class Meta:
        model = Certification
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"TST-C{n:02d}")
    name = factory.Sequence(lambda n: f"Test Certification {n}")
    description = "A certification made for tests."
    level = Level.ASSOCIATE
    exam_questions = 65
    exam_minutes = 130
    passing_score = 720

    @factory.post_generation
    def domains(self, create: bool, extracted: list[tuple[str, int]] | None, **kwargs) -> None:
        blueprint = extracted if extracted is not None else [("Design", 60), ("Operations", 40)]
        for order, (name, weight) in enumerate(blueprint, start=1):
            ExamDomainFactory(certification=self, name=name, weight=weight, order=order)


class ExamDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExamDomain

    certification = factory.SubFactory(CertificationFactory, domains=[])
    name = factory.Sequence(lambda n: f"Domain {n}")
    weight = 100
    order = 1

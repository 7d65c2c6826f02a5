import factory

from accounts import services
from accounts.models import User

PASSWORD = "Quiz-Master-42"


class UserFactory(factory.django.DjangoModelFactory):
    """A learner with a profile, created the way the product creates users."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"learner{n}@example.com")
    username = factory.Sequence(lambda n: f"learner{n}")
    password = PASSWORD

    class Params:
        admin = factory.Trait(is_staff=True, is_superuser=True)

    @classmethod
    def _create(cls, model_class: type[User], **kwargs) -> User:
        return services.user_create(**kwargs)

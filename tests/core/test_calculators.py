"""The calculator registry: families, names, typed settings, results that explain themselves."""

from typing import ClassVar

import pytest
from pydantic import BaseModel, Field

from cooplab.core.calculators import Calculator, Result, calculators, get_calculator, register
from cooplab.errors import InvalidInputError


class Doubling(Calculator[BaseModel]):
    """Test family: a number made from another."""

    KIND: ClassVar[str] = "test_family"


class FactorConfig(BaseModel):
    factor: float = Field(2.0, gt=0, description="What the input is multiplied by.")


class Figure(Result):
    value: float


@register
class Multiply(Doubling):
    """Multiplies the input by a factor."""

    NAME = "multiply"
    Config = FactorConfig

    def compute(self, x: float) -> Figure:
        value = x * self.config.factor
        return Figure(
            calculator=self.NAME,
            value=value,
            reasons=[
                self.reason(
                    "multiplied", "{x} × {factor} = {value}", x=x, factor=self.config.factor, value=value
                )
            ],
        )


def test_found_by_kind_and_name_with_its_settings():
    calc = get_calculator("test_family", "multiply", {"factor": 3})
    result = calc.compute(2)
    assert result.value == 6
    assert result.explain() == "2 × 3.0 = 6.0"
    assert result.reasons[0].code == "multiplied" and result.reasons[0].params["factor"] == 3.0
    assert calculators("test_family") == [Multiply]
    assert Multiply.describe()["summary"] == "Multiplies the input by a factor."


def test_unknown_name_and_bad_settings_are_the_users_mistake():
    with pytest.raises(InvalidInputError, match="known: multiply"):
        get_calculator("test_family", "divide")
    with pytest.raises(InvalidInputError) as caught:
        get_calculator("test_family", "multiply", {"factor": -1})
    assert caught.value.details[0]["loc"] == ["multiply", "factor"]


def test_a_calculator_must_describe_itself():
    with pytest.raises(TypeError, match="docstring"):

        @register
        class Silent(Doubling):
            NAME = "silent"

    with pytest.raises(TypeError, match="twice"):

        @register
        class Again(Doubling):
            """Another with the same name."""

            NAME = "multiply"

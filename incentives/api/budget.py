"""The rewards budget over REST: per funder and budget year what is allocated, approved, owed and paid, and the
forecast of what the targets will cost if met on schedule."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from incentives import forecast, selectors
from incentives.api.access import require_reader
from portal import params as query


class BudgetRowSerializer(serializers.Serializer):
    funder_id = serializers.IntegerField()
    funder = serializers.CharField()
    year = serializers.IntegerField()
    count = serializers.IntegerField()
    owed = serializers.DecimalField(max_digits=16, decimal_places=2)
    approved = serializers.DecimalField(max_digits=16, decimal_places=2)
    paid = serializers.DecimalField(max_digits=16, decimal_places=2)
    outstanding = serializers.DecimalField(max_digits=16, decimal_places=2)
    clawback_due = serializers.DecimalField(max_digits=16, decimal_places=2)
    presumed = serializers.DecimalField(
        max_digits=16, decimal_places=2, help_text="Owed on a funder split not stated by the document (推定)"
    )
    awaiting_data = serializers.DecimalField(max_digits=16, decimal_places=2)
    allocated = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    available = serializers.DecimalField(
        max_digits=16, decimal_places=2, allow_null=True, help_text="allocated − approved"
    )
    used_percent = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    warning = serializers.CharField(help_text="'warning' from 70 % of the allocation approved, 'danger' from 90 %")
    forecast = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)


class BudgetView(APIView):
    """Per funder and budget year: allocated, approved, available, owed (推定 apart), paid, outstanding (万元)."""

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses=BudgetRowSerializer(many=True))
    def get(self, request):
        require_reader(request.user)
        rows = selectors.budget_rows(
            request.user, query.year(request.query_params), forecast=forecast.forecast_for(request.user)
        )
        return Response(BudgetRowSerializer(rows, many=True).data)


class ForecastView(APIView):
    """If the targets are met on schedule, what each funder pays in 2025–2027, with the assumptions."""

    @extend_schema(
        responses=inline_serializer(
            "Forecast",
            {
                "years": serializers.ListField(child=serializers.IntegerField()),
                "rows": serializers.ListField(child=serializers.DictField()),
                "totals": serializers.DictField(),
                "assumptions": serializers.ListField(child=serializers.CharField()),
                "expectations": serializers.ListField(child=serializers.DictField()),
            },
        )
    )
    def get(self, request):
        require_reader(request.user)
        result = forecast.forecast_for(request.user)
        return Response(
            {
                "years": list(result.years),
                "rows": [
                    {
                        "funder": label,
                        "amounts": {str(year): str(amount.quantize(forecast.CENT)) for year, amount in values.items()},
                    }
                    for label, values in result.rows
                ],
                "totals": {str(year): str(amount.quantize(forecast.CENT)) for year, amount in result.totals.items()},
                "assumptions": [str(text) for text in result.assumptions],
                "expectations": [
                    {
                        "target": item.target.key,
                        "region": item.region.name,
                        "tier": item.tier.code,
                        "year": item.year,
                        "count": str(item.count),
                    }
                    for item in result.expectations
                ],
            }
        )

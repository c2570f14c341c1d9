"""django-import-export resources: admin export, and the row-by-row import path
that `make bench` measures the fast roster importer against."""

from import_export import fields
from import_export.widgets import ForeignKeyWidget

from enterprises.models import AnnualIndicator, Enterprise
from portal.excel import SpreadsheetSafeResource
from portal.models import Region


class EnterpriseResource(SpreadsheetSafeResource):
    region = fields.Field(attribute="region", column_name="region", widget=ForeignKeyWidget(Region, field="name"))

    class Meta:
        model = Enterprise
        import_id_fields = ["credit_code"]
        fields = [
            "credit_code",
            "name",
            "region",
            "industry_code",
            "registered_on",
            "size_class",
            "is_above_scale",
            "is_listed",
        ]
        export_order = fields


class AnnualIndicatorResource(SpreadsheetSafeResource):
    """Yearly figures keyed by (credit code, year): the default path for a roster's indicator columns."""

    enterprise = fields.Field(
        attribute="enterprise", column_name="credit_code", widget=ForeignKeyWidget(Enterprise, field="credit_code")
    )

    class Meta:
        model = AnnualIndicator
        import_id_fields = ["enterprise", "year"]
        fields = ["enterprise", "year", *AnnualIndicator.value_fields()]
        export_order = fields

"""django-import-export resources: admin export, and the row-by-row import path
that `make bench` measures the fast roster importer against."""

from import_export import fields
from import_export.widgets import ForeignKeyWidget

from enterprises.models import ENTERPRISE_FIELDS, AnnualIndicator, Enterprise
from portal.excel import SpreadsheetSafeResource
from portal.models import Region


class EnterpriseResource(SpreadsheetSafeResource):
    region = fields.Field(attribute="region", column_name="region", widget=ForeignKeyWidget(Region, field="name"))

    class Meta:
        model = Enterprise
        import_id_fields = ["credit_code"]
        # What identifies and classifies an enterprise; products and contacts stay with the register's form.
        fields = [
            name
            for name in ENTERPRISE_FIELDS
            if name not in ("main_products", "contact_name", "contact_phone", "service_commissioner")
        ]
        export_order = ["credit_code"]


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

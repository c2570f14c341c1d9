"""django-import-export resources: admin export, and the row-by-row import path
that `make bench` measures the fast roster importer against."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from enterprises.models import Enterprise
from portal.models import Region


class EnterpriseResource(resources.ModelResource):
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

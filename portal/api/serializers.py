from rest_framework import serializers

from portal.models import Department, Region, User


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["id", "name", "short_name", "code", "kind", "parent", "depth"]


class DepartmentSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Department
        fields = ["id", "name", "kind", "region", "region_name"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    region = RegionSerializer(read_only=True, allow_null=True)
    department = DepartmentSerializer(read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "role", "region", "department"]


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField(help_text="Translated, user-facing")
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ErrorSerializer(serializers.Serializer):
    """The one shape of every API error (portal.api.exceptions)."""

    error = ErrorDetailSerializer()

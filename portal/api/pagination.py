from rest_framework.pagination import PageNumberPagination

from portal import params as query


class StandardPagination(PageNumberPagination):
    """Pages of 50 (page_size up to 500); a page number or size that is not a number is a 400."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_number(self, request, paginator):
        return query.integer(request.query_params, self.page_query_param, minimum=1) or 1

    def get_page_size(self, request):
        size = query.integer(request.query_params, self.page_size_query_param, minimum=1, maximum=self.max_page_size)
        return size or self.page_size

"""Every place the five policy documents name, as a region tree, and its loader.

Counties carry their GB/T 2260 codes. Parks and development zones have no
official code, so they get stable synthetic ones: the code of the region
that runs them plus "-P" and a number.
"""

from dataclasses import dataclass

from portal.models import Region

COUNTRY = Region.Kind.COUNTRY
PROVINCE = Region.Kind.PROVINCE
CITY = Region.Kind.CITY
COUNTY = Region.Kind.COUNTY
PARK = Region.Kind.PARK


@dataclass(frozen=True)
class RegionSpec:
    code: str
    name: str
    kind: str
    parent_code: str | None
    short_name: str = ""


# Parents come before their children.
REGIONS: tuple[RegionSpec, ...] = (
    RegionSpec("000000", "中国", COUNTRY, None),
    # 宁夏: 中卫市 task list (000) and the autonomous region's measures (002).
    RegionSpec("640000", "宁夏回族自治区", PROVINCE, "000000", "宁夏"),
    RegionSpec("640500", "中卫市", CITY, "640000", "中卫"),
    RegionSpec("640502", "沙坡头区", COUNTY, "640500"),
    RegionSpec("640521", "中宁县", COUNTY, "640500"),
    RegionSpec("640522", "海原县", COUNTY, "640500"),
    RegionSpec("640500-P01", "中卫工业园区", PARK, "640500"),
    RegionSpec("640500-P02", "海兴开发区", PARK, "640500"),
    # 青海: 西宁市 宁政办〔2023〕32号 (001), addressed to "西宁国家级经济技术开发区
    # (青海国家高新技术产业开发区)管委会及各园区管委会".
    RegionSpec("630000", "青海省", PROVINCE, "000000", "青海"),
    RegionSpec("630100", "西宁市", CITY, "630000", "西宁"),
    RegionSpec("630102", "城东区", COUNTY, "630100"),
    RegionSpec("630103", "城中区", COUNTY, "630100"),
    RegionSpec("630104", "城西区", COUNTY, "630100"),
    RegionSpec("630105", "城北区", COUNTY, "630100"),
    RegionSpec("630106", "湟中区", COUNTY, "630100"),
    RegionSpec("630121", "大通回族土族自治县", COUNTY, "630100", "大通县"),
    RegionSpec("630123", "湟源县", COUNTY, "630100"),
    RegionSpec("630100-P01", "西宁经济技术开发区", PARK, "630100", "西宁经开区"),
    RegionSpec("630100-P02", "东川工业园区", PARK, "630100-P01"),
    RegionSpec("630100-P03", "甘河工业园区", PARK, "630100-P01"),
    RegionSpec("630100-P04", "南川工业园区", PARK, "630100-P01"),
    RegionSpec("630100-P05", "生物科技产业园区", PARK, "630100-P01"),
    # 内蒙古: 鄂尔多斯市 (003). The document names its development zones only as
    # "各经济开发区"; these are the city's zones, so that the phrase expands to
    # real park committees.
    RegionSpec("150000", "内蒙古自治区", PROVINCE, "000000", "内蒙古"),
    RegionSpec("150600", "鄂尔多斯市", CITY, "150000", "鄂尔多斯"),
    RegionSpec("150602", "东胜区", COUNTY, "150600"),
    RegionSpec("150603", "康巴什区", COUNTY, "150600"),
    RegionSpec("150621", "达拉特旗", COUNTY, "150600"),
    RegionSpec("150622", "准格尔旗", COUNTY, "150600"),
    RegionSpec("150623", "鄂托克前旗", COUNTY, "150600"),
    RegionSpec("150624", "鄂托克旗", COUNTY, "150600"),
    RegionSpec("150625", "杭锦旗", COUNTY, "150600"),
    RegionSpec("150626", "乌审旗", COUNTY, "150600"),
    RegionSpec("150627", "伊金霍洛旗", COUNTY, "150600"),
    RegionSpec("150600-P01", "鄂尔多斯高新技术产业开发区", PARK, "150600", "鄂尔多斯高新区"),
    RegionSpec("150600-P02", "准格尔经济开发区", PARK, "150600"),
    RegionSpec("150600-P03", "达拉特经济开发区", PARK, "150600"),
    RegionSpec("150600-P04", "蒙苏经济开发区", PARK, "150600"),
    RegionSpec("150600-P05", "苏里格经济开发区", PARK, "150600"),
    RegionSpec("150600-P06", "上海庙经济开发区", PARK, "150600"),
    # 新疆: 博州政办发〔2023〕62号 (004), addressed to "各综保区、景区管委会".
    RegionSpec("650000", "新疆维吾尔自治区", PROVINCE, "000000", "新疆"),
    RegionSpec("652700", "博尔塔拉蒙古自治州", CITY, "650000", "博州"),
    RegionSpec("652701", "博乐市", COUNTY, "652700"),
    RegionSpec("652702", "阿拉山口市", COUNTY, "652700"),
    RegionSpec("652722", "精河县", COUNTY, "652700"),
    RegionSpec("652723", "温泉县", COUNTY, "652700"),
    RegionSpec("652700-P01", "阿拉山口综合保税区", PARK, "652700", "综保区"),
    RegionSpec("652700-P02", "赛里木湖景区", PARK, "652700", "景区"),
)

"""Every place the five policy documents name, as a region tree, and its loader.

Every province the documents name (青海, 宁夏, 内蒙古, 新疆) is loaded down to
prefecture level with official names and GB/T 2260 codes, so that a share of
the province ("占全省 65%") or a region-wide target knows which prefectures the
register must cover before its figure means anything. Counties are loaded for
the cities the documents address. Counties carry their GB/T 2260 codes. Parks and development zones have no
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
    # 宁夏: 中卫市 task list (000) and the autonomous region's measures (002): all five cities.
    RegionSpec("640000", "宁夏回族自治区", PROVINCE, "000000", "宁夏"),
    RegionSpec("640100", "银川市", CITY, "640000", "银川"),
    RegionSpec("640200", "石嘴山市", CITY, "640000", "石嘴山"),
    RegionSpec("640300", "吴忠市", CITY, "640000", "吴忠"),
    RegionSpec("640400", "固原市", CITY, "640000", "固原"),
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
    RegionSpec("630200", "海东市", CITY, "630000", "海东"),
    RegionSpec("632200", "海北藏族自治州", CITY, "630000", "海北州"),
    RegionSpec("632300", "黄南藏族自治州", CITY, "630000", "黄南州"),
    RegionSpec("632500", "海南藏族自治州", CITY, "630000", "海南州"),
    RegionSpec("632600", "果洛藏族自治州", CITY, "630000", "果洛州"),
    RegionSpec("632700", "玉树藏族自治州", CITY, "630000", "玉树州"),
    RegionSpec("632800", "海西蒙古族藏族自治州", CITY, "630000", "海西州"),
    # 内蒙古: 鄂尔多斯市 (003). The document names its development zones only as
    # "各经济开发区"; these are the city's zones, so that the phrase expands to
    # real park committees.
    RegionSpec("150000", "内蒙古自治区", PROVINCE, "000000", "内蒙古"),
    RegionSpec("150100", "呼和浩特市", CITY, "150000", "呼和浩特"),
    RegionSpec("150200", "包头市", CITY, "150000", "包头"),
    RegionSpec("150300", "乌海市", CITY, "150000", "乌海"),
    RegionSpec("150400", "赤峰市", CITY, "150000", "赤峰"),
    RegionSpec("150500", "通辽市", CITY, "150000", "通辽"),
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
    RegionSpec("150700", "呼伦贝尔市", CITY, "150000", "呼伦贝尔"),
    RegionSpec("150800", "巴彦淖尔市", CITY, "150000", "巴彦淖尔"),
    RegionSpec("150900", "乌兰察布市", CITY, "150000", "乌兰察布"),
    RegionSpec("152200", "兴安盟", CITY, "150000"),
    RegionSpec("152500", "锡林郭勒盟", CITY, "150000"),
    RegionSpec("152900", "阿拉善盟", CITY, "150000"),
    # 新疆: 博州政办发〔2023〕62号 (004), addressed to "各综保区、景区管委会".
    RegionSpec("650000", "新疆维吾尔自治区", PROVINCE, "000000", "新疆"),
    RegionSpec("650100", "乌鲁木齐市", CITY, "650000", "乌鲁木齐"),
    RegionSpec("650200", "克拉玛依市", CITY, "650000", "克拉玛依"),
    RegionSpec("650400", "吐鲁番市", CITY, "650000", "吐鲁番"),
    RegionSpec("650500", "哈密市", CITY, "650000", "哈密"),
    RegionSpec("652300", "昌吉回族自治州", CITY, "650000", "昌吉州"),
    RegionSpec("652700", "博尔塔拉蒙古自治州", CITY, "650000", "博州"),
    RegionSpec("652701", "博乐市", COUNTY, "652700"),
    RegionSpec("652702", "阿拉山口市", COUNTY, "652700"),
    RegionSpec("652722", "精河县", COUNTY, "652700"),
    RegionSpec("652723", "温泉县", COUNTY, "652700"),
    RegionSpec("652700-P01", "阿拉山口综合保税区", PARK, "652700", "综保区"),
    RegionSpec("652700-P02", "赛里木湖景区", PARK, "652700", "景区"),
    RegionSpec("652800", "巴音郭楞蒙古自治州", CITY, "650000", "巴州"),
    RegionSpec("652900", "阿克苏地区", CITY, "650000", "阿克苏"),
    RegionSpec("653000", "克孜勒苏柯尔克孜自治州", CITY, "650000", "克州"),
    RegionSpec("653100", "喀什地区", CITY, "650000", "喀什"),
    RegionSpec("653200", "和田地区", CITY, "650000", "和田"),
    RegionSpec("654000", "伊犁哈萨克自治州", CITY, "650000", "伊犁州"),
    RegionSpec("654200", "塔城地区", CITY, "650000", "塔城"),
    RegionSpec("654300", "阿勒泰地区", CITY, "650000", "阿勒泰"),
)

# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Static vocabulary of the demo company: places, people, assortment."""
from decimal import Decimal as D

COMPANY = {
    'name': '龙口盛兴果蔬有限公司',
    'name_en': 'Longkou Good Season Fruit & Vegetable Co., Ltd.',
    'street': '山东省龙口市东江街道港城大道 188 号',
    'postal_code': '265700',
    'city': '龙口',
    'country': 'CN',
    'phone': '+86 535 856 1200',
    'fax': '+86 535 856 1201',
    'email': 'info@goodseason.example',
    'website': 'http://www.goodseason.example',
    'currency': 'CNY',
    'timezone': 'Asia/Shanghai',
}

# code: (English, Chinese, ISO3, numeric)
COUNTRIES = {
    'CN': ('China', '中国', 'CHN', '156'),
    'US': ('United States', '美国', 'USA', '840'),
    'CA': ('Canada', '加拿大', 'CAN', '124'),
    'MY': ('Malaysia', '马来西亚', 'MYS', '458'),
    'PH': ('Philippines', '菲律宾', 'PHL', '608'),
    'SG': ('Singapore', '新加坡', 'SGP', '702'),
    'KR': ('Korea, Republic of', '韩国', 'KOR', '410'),
}

# code: (name, symbol, numeric)
CURRENCIES = {
    'CNY': ('人民币', '¥', '156'),
    'USD': ('美元', '$', '840'),
}

# Foreign currencies for 1 CNY (2024-2026 average): monthly demo rates
# drift around it
CURRENCY_RATES = {
    'USD': 0.14,
}

# Domestic distribution windows and markets:
# (city zh, city en, postal code, phone prefix, weight)
CN_CITIES = [
    ('海口', 'Haikou', '570100', '+86 898', 8),
    ('深圳', 'Shenzhen', '518000', '+86 755', 10),
    ('广州', 'Guangzhou', '510000', '+86 20', 12),
    ('江门', 'Jiangmen', '529000', '+86 750', 5),
    ('福州', 'Fuzhou', '350000', '+86 591', 6),
    ('厦门', 'Xiamen', '361000', '+86 592', 4),
    ('北京', 'Beijing', '100000', '+86 10', 9),
    ('上海', 'Shanghai', '200000', '+86 21', 10),
    ('杭州', 'Hangzhou', '310000', '+86 571', 4),
    ('南京', 'Nanjing', '210000', '+86 25', 3),
    ('武汉', 'Wuhan', '430000', '+86 27', 3),
    ('成都', 'Chengdu', '610000', '+86 28', 3),
    ('天津', 'Tianjin', '300000', '+86 22', 3),
    ('青岛', 'Qingdao', '266000', '+86 532', 4),
    ('烟台', 'Yantai', '264000', '+86 535', 4),
    ('龙口', 'Longkou', '265700', '+86 535', 3),
    ('沈阳', 'Shenyang', '110000', '+86 24', 2),
    ('哈尔滨', 'Harbin', '150000', '+86 451', 2),
]

# (country, city en, city zh, postal code, phone prefix, weight)
FOREIGN_CITIES = [
    ('US', 'Los Angeles', '洛杉矶', 'CA 90021', '+1 213', 4),
    ('US', 'Seattle', '西雅图', 'WA 98134', '+1 206', 2),
    ('US', 'New York', '纽约', 'NY 10474', '+1 718', 2),
    ('CA', 'Vancouver', '温哥华', 'BC V5L 1A1', '+1 604', 3),
    ('CA', 'Toronto', '多伦多', 'ON M1P 2J3', '+1 416', 2),
    ('MY', 'Kuala Lumpur', '吉隆坡', '52100', '+60 3', 3),
    ('MY', 'Penang', '槟城', '10400', '+60 4', 1),
    ('PH', 'Manila', '马尼拉', '1012', '+63 2', 3),
    ('SG', 'Singapore', '新加坡', '110001', '+65', 3),
    ('KR', 'Seoul', '首尔', '04555', '+82 2', 2),
    ('KR', 'Busan', '釜山', '48058', '+82 51', 1),
]
FOREIGN_SHARE = 0.22

# Local number after a dialling prefix: (digits, allowed first digits);
# the default is 8 digits.  Checked against libphonenumber's plans.
PHONE_FORMATS = {
    '+86 535': (7, '2345678'), '+86 592': (7, '2345678'),
    '+86 750': (7, '2345678'), '+1 213': (7, '2345678'),
    '+1 206': (7, '2345678'), '+1 718': (7, '2345678'),
    '+1 604': (7, '2345678'), '+1 416': (7, '2345678'),
    '+60 3': (8, '8'), '+60 4': (7, '234567'), '+63 2': (8, '345678'),
    '+65': (8, ('61', '62', '63', '64', '65', '67')), '+82 2': (8, '2345678'), '+82 51': (7, '2345678'),
    }

# Trade-name syllables (hanzi, pinyin): two of them make a trade name.
TRADE_SYLLABLES = [('鑫', 'Xin'), ('源', 'yuan'), ('恒', 'Heng'),
    ('丰', 'feng'), ('嘉', 'Jia'), ('禾', 'he'), ('润', 'Run'), ('盛', 'sheng'),
    ('金', 'Jin'), ('穗', 'sui'), ('福', 'Fu'), ('满', 'man'), ('顺', 'Shun'),
    ('达', 'da'), ('天', 'Tian'), ('和', 'he'), ('绿', 'Lv'), ('野', 'ye'),
    ('万', 'Wan'), ('家', 'jia'), ('宏', 'Hong'), ('图', 'tu'), ('瑞', 'Rui'),
    ('鲜', 'Xian'), ('百', 'Bai'), ('果', 'guo'), ('东', 'Dong'), ('方', 'fang'),
    ('兴', 'Xing'), ('隆', 'long'), ('佳', 'Jia'), ('农', 'nong'), ('联', 'Lian'),
    ('华', 'hua'), ('海', 'Hai'), ('泰', 'tai'), ('康', 'Kang'), ('春', 'Chun'),
    ('晖', 'hui'), ('泽', 'ze')]

# customer type: (zh suffix, en suffix, weight)
CUSTOMER_TYPES = {
    'wholesaler': ('果蔬批发有限公司', 'Fruit & Vegetable Wholesale Co., Ltd.', 30),
    'supermarket': ('超市连锁有限公司', 'Supermarket Chain Co., Ltd.', 14),
    'importer': ('进出口贸易有限公司', 'Import & Export Trading Co., Ltd.', 12),
    'processor': ('食品加工有限公司', 'Food Processing Co., Ltd.', 10),
    'distributor': ('农产品配送有限公司', 'Agricultural Products Distribution Co., Ltd.', 20),
    'catering': ('餐饮管理有限公司', 'Catering Management Co., Ltd.', 8),
    'individual': ('', '', 6),
}

# Foreign names: (English, Chinese) prefix x kind x legal suffix per country.
FOREIGN_PREFIXES = [('Pacific', '太平洋'), ('Golden Gate', '金门'),
    ('Evergreen', '常青'), ('Harbor', '港湾'), ('Sunrise', '旭日'),
    ('Orient', '东方'), ('Maple Leaf', '枫叶'), ('Lion City', '狮城'),
    ('Tropika', '热带'), ('Hanbit', '韩光'), ('Great Wall', '长城'),
    ('Jade', '翡翠'), ('Lucky Star', '福星'), ('Northern Harvest', '北方丰收')]
FOREIGN_KINDS = [('Fresh Produce', '鲜品'), ('Fruits', '水果'),
    ('Asian Foods', '亚洲食品'), ('Trading', '贸易'), ('Imports', '进口')]
FOREIGN_SUFFIXES = {
    'US': [('Inc.', '公司'), ('LLC', '有限责任公司')],
    'CA': [('Ltd.', '有限公司'), ('Inc.', '公司')],
    'MY': [('Sdn. Bhd.', '私人有限公司')],
    'PH': [('Corp.', '公司'), ('Inc.', '公司')],
    'SG': [('Pte. Ltd.', '私人有限公司')],
    'KR': [('Co., Ltd.', '株式会社')],
}

SURNAMES = [('王', 'Wang'), ('李', 'Li'), ('张', 'Zhang'), ('刘', 'Liu'),
    ('陈', 'Chen'), ('杨', 'Yang'), ('赵', 'Zhao'), ('黄', 'Huang'),
    ('周', 'Zhou'), ('吴', 'Wu'), ('徐', 'Xu'), ('孙', 'Sun'), ('马', 'Ma'),
    ('朱', 'Zhu'), ('胡', 'Hu'), ('郭', 'Guo'), ('林', 'Lin'), ('何', 'He')]
GIVEN_NAMES = [('伟', 'Wei'), ('芳', 'Fang'), ('娜', 'Na'), ('敏', 'Min'),
    ('静', 'Jing'), ('强', 'Qiang'), ('磊', 'Lei'), ('军', 'Jun'),
    ('洋', 'Yang'), ('勇', 'Yong'), ('艳', 'Yan'), ('杰', 'Jie'),
    ('建华', 'Jianhua'), ('国庆', 'Guoqing'), ('海燕', 'Haiyan'),
    ('志明', 'Zhiming'), ('丽华', 'Lihua'), ('晓东', 'Xiaodong')]
FOREIGN_PEOPLE = ['David Chen', 'Michael Lee', 'Sarah Tan', 'Kevin Lim',
    'Jennifer Wong', 'Daniel Park', 'Grace Kim', 'Robert Santos',
    'Maria Reyes', 'Ahmad Hassan', 'Linda Ng', 'Steven Liu']

SOURCES = {'hotline': 10, 'website': 14, 'exhibition': 20, 'referral': 22,
    'rep': 28, 'media': 6}

# Departments of the module (XML ids in crm_fruit_customer).
DEPARTMENTS = {
    'fruit': 'department_fruit',
    'vegetable': 'department_vegetable',
}

# login, name zh, name en, role, department, groups (module, xml id)
_REP = [('crm_fruit_customer', 'group_crm_sales_rep'), ('sale', 'group_sale')]
_MGR = [('crm_fruit_customer', 'group_crm_department_manager'),
    ('sale', 'group_sale'), ('sale', 'group_sale_admin')]
STAFF = [
    ('rep_fruit1', '王建国', 'Wang Jianguo', 'rep', 'fruit', _REP),
    ('rep_fruit2', '李娜', 'Li Na', 'rep', 'fruit', _REP),
    ('rep_veg1', '张伟', 'Zhang Wei', 'rep', 'vegetable', _REP),
    ('rep_veg2', '刘洋', 'Liu Yang', 'rep', 'vegetable', _REP),
    ('mgr_fruit', '陈志强', 'Chen Zhiqiang', 'manager', 'fruit', _MGR),
    ('mgr_veg', '赵丽', 'Zhao Li', 'manager', 'vegetable', _MGR),
    ('crm_manager', '孙明', 'Sun Ming', 'crm_manager', None,
        [('crm_fruit_customer', 'group_crm_manager'), ('sale', 'group_sale'),
            ('sale', 'group_sale_admin'), ('marketing', 'group_marketing'),
            # sets credit limits and grades, approves sales over a limit
            ('account_credit_limit', 'group_credit_limit')]),
    # files the customers' statements, evaluates them, signs agreements
    ('credit1', '吴芳', 'Wu Fang', 'credit', None,
        [('crm_fruit_customer', 'group_crm_credit')]),
    ('service1', '周敏', 'Zhou Min', 'service', None,
        [('crm_fruit_service', 'group_service_agent'),
            ('crm_fruit_customer', 'group_crm_analyst')]),
]
PASSWORD = 'demo1234'

CATEGORIES = [
    # code, department, zh, en
    ('FRUIT', 'fruit', '水果', 'Fruit'),
    ('FRUIT-POME', 'fruit', '仁果类（苹果、梨）', 'Pome fruit (apples, pears)'),
    ('FRUIT-BERRY', 'fruit', '浆果与核果', 'Berries and stone fruit'),
    ('VEG', 'vegetable', '蔬菜', 'Vegetables'),
    ('VEG-BULB', 'vegetable', '葱蒜姜类', 'Alliums and ginger'),
    ('VEG-LEAF', 'vegetable', '叶菜类', 'Leaf vegetables'),
    ('VEG-ROOT', 'vegetable', '根茎类', 'Root vegetables'),
]

# code, category, zh, en, list price CNY/kg, cost CNY/kg,
# monthly season weights Jan..Dec (0 = not sold), typical line kg
PRODUCTS = [
    ('FR-FUJI', 'FRUIT-POME', '红富士苹果', 'Fuji apple', D('8.60'), D('5.20'),
        (10, 9, 8, 6, 5, 4, 3, 3, 6, 10, 12, 12), 5000),
    ('FR-GALA', 'FRUIT-POME', '嘎啦苹果', 'Gala apple', D('7.80'), D('4.60'),
        (4, 3, 2, 1, 0, 0, 3, 10, 10, 6, 5, 4), 3000),
    ('FR-HUANGGUAN', 'FRUIT-POME', '黄冠梨', 'Huangguan pear', D('6.40'),
        D('3.80'), (6, 5, 4, 3, 1, 0, 0, 6, 10, 9, 8, 7), 4000),
    ('FR-YALI', 'FRUIT-POME', '鸭梨', 'Ya pear', D('5.20'), D('3.00'),
        (6, 5, 4, 3, 1, 0, 0, 2, 9, 10, 8, 7), 4000),
    ('FR-CHERRY', 'FRUIT-BERRY', '大樱桃', 'Sweet cherry', D('48.00'),
        D('30.00'), (0, 0, 0, 0, 8, 12, 6, 0, 0, 0, 0, 0), 800),
    ('FR-KYOHO', 'FRUIT-BERRY', '巨峰葡萄', 'Kyoho grape', D('12.50'),
        D('7.50'), (0, 0, 0, 0, 0, 0, 3, 10, 10, 5, 1, 0), 1500),
    ('FR-KIWI', 'FRUIT-BERRY', '猕猴桃', 'Kiwifruit', D('14.00'), D('8.50'),
        (6, 5, 3, 1, 0, 0, 0, 0, 4, 10, 9, 7), 1500),
    ('VG-GARLIC', 'VEG-BULB', '大蒜', 'Garlic', D('6.80'), D('4.10'),
        (6, 6, 5, 5, 8, 12, 11, 9, 7, 6, 6, 6), 8000),
    ('VG-GINGER', 'VEG-BULB', '生姜', 'Ginger', D('7.50'), D('4.40'),
        (7, 6, 5, 5, 4, 4, 4, 5, 6, 11, 12, 9), 6000),
    ('VG-SCALLION', 'VEG-BULB', '大葱', 'Scallion', D('3.20'), D('1.80'),
        (3, 3, 5, 7, 8, 8, 7, 7, 8, 9, 8, 5), 5000),
    ('VG-CABBAGE', 'VEG-LEAF', '大白菜', 'Chinese cabbage', D('1.40'),
        D('0.70'), (10, 9, 6, 3, 1, 1, 1, 1, 2, 5, 11, 12), 10000),
    ('VG-CARROT', 'VEG-ROOT', '胡萝卜', 'Carrot', D('2.60'), D('1.40'),
        (8, 8, 7, 6, 4, 3, 3, 3, 4, 8, 9, 9), 8000),
    ('VG-POTATO', 'VEG-ROOT', '土豆', 'Potato', D('2.20'), D('1.20'),
        (5, 5, 5, 6, 8, 9, 9, 8, 7, 6, 5, 5), 10000),
    ('VG-ONION', 'VEG-BULB', '洋葱', 'Onion', D('2.40'), D('1.30'),
        (6, 6, 6, 7, 8, 8, 7, 7, 7, 6, 6, 6), 8000),
]

CHANNELS = {'visit': 22, 'phone': 35, 'wechat': 20, 'email': 12,
    'fax': 3, 'letter': 2, 'meeting': 6}

CONTACT_SUBJECTS = {
    'fruit': ['询问富士苹果本周到货价格', '樱桃季预订意向沟通',
        '反馈上批黄冠梨果面有轻微擦伤', '确认冷库出库时间', '洽谈年度苹果供货合同',
        '巨峰葡萄包装规格确认', '猕猴桃糖度检测报告索取', '回访：上批货物满意度'],
    'vegetable': ['大蒜新季报价', '生姜出口检疫证书办理', '确认大白菜装车数量',
        '胡萝卜规格（M/L）调整', '洋葱冷链运输安排', '土豆损耗索赔沟通',
        '大葱供货周期确认', '回访：上批货物满意度'],
}
CONTACT_NOTES = ['客户对质量表示满意，计划下月增加订货量。',
    '客户比较了其他供应商报价，需在本周内回复优惠方案。',
    '已发送产品目录和最新报价单。', '约定下周到客户仓库实地拜访。',
    '客户要求提供农残检测报告，已安排质检部门出具。',
    '客户资金周转紧张，提出延长账期，需经理审批。',
    'Customer asked for container availability in the coming season.',
    'Sent price list in USD and phytosanitary requirements.']

# Seasonal calendar categories of crm_fruit_customer's Longkou produce calendar
# (season_calendar.py, keys of LONGKOU_CALENDAR): every demo product with a season is also put
# in its category so that customers' main categories and visit plans follow
# the calendar.  Carrots, potatoes and onions have no calendar entry.
SEASON_CATEGORIES = {
    'FR-FUJI': 'apple', 'FR-GALA': 'apple',
    'FR-HUANGGUAN': 'pear', 'FR-YALI': 'pear',
    'FR-CHERRY': 'cherry', 'FR-KYOHO': 'grape', 'FR-KIWI': 'kiwifruit',
    'VG-GARLIC': 'garlic', 'VG-GINGER': 'ginger', 'VG-SCALLION': 'scallion',
    'VG-CABBAGE': 'cabbage',
}

VISIT_PURPOSES = ['季节性供货洽谈', '新产季报价', '回访质量情况', '催收货款',
    '介绍冷库存储能力', '商谈年度供货协议', '了解竞争对手价格']
VISIT_RESULTS = {
    'order': ['客户当场下单，约定下周发货。', '签订季度供货合同，首批 20 吨。'],
    'positive': ['客户对样品满意，等总部确认后下单。', '客户有兴趣扩大品类。'],
    'follow_up': ['客户要求重新报价，下周电话跟进。', '需提供检测报告后再谈。'],
    'negative': ['客户已与其他供应商签约，本季暂无需求。', '价格差距较大，暂不合作。'],
}
VISIT_NEXT_STEPS = ['寄送样品', '发送报价单', '安排冷库参观', '电话确认订单']

# Sale opportunities: (description, product code)
OPPORTUNITIES = [
    ('新产季红富士苹果年度供货', 'FR-FUJI'), ('大樱桃空运出口试单', 'FR-CHERRY'),
    ('巨峰葡萄商超专柜供货', 'FR-KYOHO'), ('黄冠梨出口东南亚', 'FR-HUANGGUAN'),
    ('猕猴桃节日礼盒', 'FR-KIWI'), ('大蒜冷库储存货长期合同', 'VG-GARLIC'),
    ('生姜出口加拿大', 'VG-GINGER'), ('大白菜冬储订单', 'VG-CABBAGE'),
    ('大葱餐饮连锁配送', 'VG-SCALLION'), ('胡萝卜净菜加工原料', 'VG-CARROT'),
]
LOST_REASONS = ['竞争对手（寿光某合作社）报价低 8%。',
    '竞争对手栖霞果品公司提供账期 60 天。', '客户需求取消，改为本地采购。',
    '质量标准未达到客户要求（糖度）。', '运费过高，客户选择海南本地供应商。']

# Knowledge base categories: (code, name)
KNOWLEDGE_CATEGORIES = [('storage', '储存保鲜'), ('grading', '分级包装'),
    ('export', '出口单证'), ('process', '服务流程')]
# Articles: (title, body, tags, product codes, department, public, category)
ARTICLES = [
    ('大樱桃冷库储存温度与湿度要求',
     '大樱桃采后应在 6 小时内预冷至 0～1 ℃，冷库温度保持在 -0.5～0.5 ℃，'
     '相对湿度 90%～95%。气调库（O₂ 3%～5%，CO₂ 10%～15%）可储存 30～45 天；'
     '普通冷库不超过 20 天。出库前逐步升温，避免结露导致裂果和霉烂。',
     '大樱桃 冷库 温度 储存', ['FR-CHERRY'], 'fruit', True, 'storage'),
    ('红富士苹果分级标准（果径、着色、果面）',
     '特级：果径≥80 mm，着色面积≥90%，果面无碰压伤；一级：果径≥75 mm，'
     '着色≥80%；二级：果径≥70 mm，着色≥65%。糖度一般要求≥13°Brix。'
     '出口北美按客户合同另行约定果径与包装规格。',
     '红富士 苹果 分级 果径 着色', ['FR-FUJI'], 'fruit', True, 'grading'),
    ('大蒜发芽的原因与防止方法',
     '大蒜休眠期过后，在 5～20 ℃ 及较高湿度下会萌芽。冷库储存应保持 '
     '-3～-2 ℃、湿度 65%～70%，出库后尽快销售。客户投诉发芽时，'
     '先核对批次出库日期及运输温度记录，再按补偿规定处理。',
     '大蒜 发芽 冷库 投诉', ['VG-GARLIC'], 'vegetable', True, 'storage'),
    ('巨峰葡萄包装规范',
     '每箱净重 5 kg，内衬保鲜袋并放置二氧化硫保鲜垫，果穗单层平放，'
     '果梗朝上。出口箱需标注产地、等级、净重、批次号和包装日期。'
     '运输温度 0～2 ℃，防止挤压脱粒。',
     '巨峰 葡萄 包装 保鲜垫', ['FR-KYOHO'], 'fruit', False, 'grading'),
    ('出口加拿大鲜果蔬菜所需单证',
     '需准备：商业发票、装箱单、海运提单、原产地证（FORM A 不适用，使用一般原产地证）、'
     '中国海关出具的植物检疫证书、CFIA 进口许可（部分品类）。'
     '生姜、大蒜须注明无土壤；木质包装需 IPPC 标识。',
     '出口 加拿大 单证 检疫证书', ['VG-GINGER', 'VG-GARLIC', 'FR-FUJI'],
     None, True, 'export'),
    ('生姜储存与防腐',
     '生姜适宜储存温度 12～14 ℃，湿度 90% 以上，低于 10 ℃ 易受冷害。'
     '入库前晾晒去除表面水分，发现腐烂姜块及时剔除。',
     '生姜 储存 冷害', ['VG-GINGER'], 'vegetable', False, 'storage'),
    ('客户投诉处理流程（内部）',
     '接到投诉后 4 小时内响应：登记服务单，核对批次和销售订单，'
     '要求客户提供照片；需补偿时提交经理审批。结案后 3 天内进行满意度回访。',
     '投诉 流程 补偿 回访', [], None, False, 'process'),
]

# Service tickets: kind -> (subjects, descriptions, resolutions)
TICKET_TEXTS = {
    'complaint': (['到货大樱桃部分裂果', '大蒜到货发芽', '发货延误两天',
            '苹果箱内有碰压伤', '生姜部分腐烂'],
        '客户反映本批货物质量问题，已要求提供照片和批次号。',
        '核实为运输途中温度偏高所致，已按 10% 货值补偿客户。'),
    'quality': (['黄冠梨糖度不达标', '大白菜外叶发黄', '葡萄脱粒较多'],
        '客户抽检结果与合同标准不符，请质检部门复核。',
        '复检确认问题，已补发同等数量合格产品。'),
    'inquiry': (['询问富士苹果新季报价', '咨询出口加拿大单证', '询问冷库代储服务',
            '询问大蒜冷库货供应期'],
        '客户来电咨询，需要提供详细资料。',
        '已发送报价单及相关资料，客户表示满意。'),
    'suggestion': (['建议增加小包装规格', '建议提供物流跟踪', '建议调整发货时间'],
        '客户提出改进建议，转相关部门评估。',
        '建议已转交物流部，下季度试行。'),
    'praise': (['表扬业务员服务周到', '感谢及时补货', '樱桃品质很好'],
        '客户来电表扬，记录备案。',
        '已转达相关同事并记入服务档案。'),
}

# The mailing lists customers join on the portal: (name, language)
MAILING_LISTS = [('新品与季节通知', 'zh_CN'), ('出口市场行情', 'zh_CN'),
    ('New season offers', 'en')]

# The portal's news (crm_fruit_portal): (category, title, body, days
#   before the end day)
NEWS_CATEGORIES = [('company_news', '公司新闻'), ('industry_news', '行业资讯')]
NEWS = [
    ('company_news', '龙口新建气调冷库投入使用',
     '公司新建 8,000 吨气调冷库本月投入使用，苹果、梨可储存至次年六月，'
     '淡季供货更有保障。欢迎客户来库参观。', 3),
    ('company_news', '大樱桃预订开始',
     '今年大樱桃预计五月中旬开园采摘。即日起接受预订，按订单顺序发货；'
     '出口客户请提前确认装柜计划。', 20),
    ('industry_news', '山东苹果产区今年果品质量良好',
     '据产区调查，今年烟台、龙口苹果着色好、果面光洁，大果比例高于往年，'
     '预计收购价格平稳。', 45),
]

# Care rules: (name, kind, days, holiday kind, season month, season day,
#   season categories)
CARE_RULES = [
    ('到货后回访', 'after_delivery', 3, None, None, None, []),
    ('春节前问候', 'holiday', 10, 'spring_festival', None, None, []),
    ('中秋节前问候', 'holiday', 10, 'mid_autumn', None, None, []),
    ('大樱桃上市前通知', 'season_start', 15, None, 5, 10, ['cherry']),
    ('新季苹果上市前通知', 'season_start', 20, None, 9, 20, ['apple']),
    ('优质客户久未下单关怀', 'quiet_customer', 45, None, None, None, []),
]

# Order to cash.  Payment terms: code: (zh, en, days after the invoice)
PAYMENT_TERMS = {
    'cod': ('货到付款', 'Cash on delivery', 0),
    '30': ('月结30天', '30 days', 30),
    '60': ('月结60天', '60 days', 60),
}
# how an invoice is paid: on time, late, partially, never (weights)
PAYMENT_BEHAVIOURS = {'on_time': 74, 'late': 14, 'partial': 8, 'never': 4}
# export by sea from Longkou/Qingdao: incoterms (2020) and days to the port
# of destination; shipping lines as (container owner code, B/L prefix)
INCOTERMS = {'FOB': 3, 'CFR': 3, 'CIF': 4}
TRANSIT_DAYS = {'US': 26, 'CA': 22, 'MY': 11, 'PH': 7, 'SG': 9, 'KR': 3}
SHIPPING_LINES = [('CBHU', 'COSU'), ('OOLU', 'OOLU'), ('EGHU', 'EGLV'),
    ('MSCU', 'MEDU'), ('MSKU', 'MAEU')]

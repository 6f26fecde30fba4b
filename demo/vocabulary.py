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
            ('sale', 'group_sale_admin')]),
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

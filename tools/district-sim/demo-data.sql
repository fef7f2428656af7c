-- SPDX-License-Identifier: GPL-3.0-or-later
-- Demo data of the reference district backend (district-sim --demo-data).
-- Every person here is synthetic; ID numbers are valid GB 11643 numbers made up
-- for tests. Dates of payments, reviews and gradual exits are relative to the
-- day the data is loaded (SQLite 'now' + 8 hours = Asia/Shanghai), so the data
-- looks current whenever a test runs. Bookings (a full slot among them) are
-- added by sim_api_demo_bookings() because they need the working-day calendar.
-- Amounts are fen. Figures from the Jiangjin 14th five-year civil-affairs plan
-- (2020 data) where it has them; others are marked 演示数据，非官方.

INSERT INTO meta(key, value) VALUES
  ('config_version', 'demo-2026.11'),
  ('data_set', 'demo');

-- ---- citizens ---------------------------------------------------------------
-- Fixtures used by the kiosk's card tests (tests/fixtures/holders):
--   张伟 110105198503151230 (M, 1985-03-15): DIBAO_URBAN PAYING with payments
--   买买提·艾力 650102197906070357 (M): DIBAO_RURAL GRADUAL_EXIT + CANJI_HULI PAYING
--   张䶮 330106200002292489 (F, born 29 Feb 2000): known, no programmes
INSERT INTO citizens(id_number, name) VALUES
  ('110105198503151230', '张伟'),
  ('650102197906070357', '买买提·艾力'),
  ('330106200002292489', '张䶮'),
  ('500116195203120027', '李秀英'),
  ('500116194005060014', '王建国'),
  ('500116199007080046', '刘芳'),
  ('50011620120315003X', '陈小明'),
  ('500116201508200026', '陈小红'),
  ('500116198811110029', '杨丽'),
  ('500116197702020011', '赵强'),
  ('50011619830404002X', '黄敏'),
  ('500116196512120017', '周杰'),
  ('500116197009090011', '吴军'),
  ('500116201001010020', '徐娜'),
  ('500116193801150024', '孙丽华'),
  ('500116192501010033', '钱福寿'),
  ('500116198506060010', '马龙'),
  -- marriage rules: a woman aged 19, a woman turning 20 on 2026-12-20, a man aged 21
  ('500116200706150029', '林晓雨'),
  ('500116200612200048', '何静'),
  ('500116200505100017', '郭磊'),
  -- parties of the demo bookings (sim_api_demo_bookings)
  ('500116199604180037', '高峰'),
  ('500116199809090027', '罗敏'),
  ('500116199403030059', '郑浩'),
  ('500116199507070063', '谢婷'),
  ('500116199210100073', '宋宇'),
  ('500116199311110086', '唐欣'),
  ('500116199102020041', '欧阳娜娜');

-- ---- assistance programmes -----------------------------------------------------
-- next_review and gradual_exit_until are relative to the load date.
INSERT INTO programmes(id, id_number, code, name, status, monthly_amount_fen, since,
                       next_review, gradual_exit_until, office) VALUES
  (1, '110105198503151230', 'DIBAO_URBAN', '城市最低生活保障', 'PAYING', 32000, '2023-04-01',
   date('now', '+8 hours', 'start of month', '+3 months'), NULL, '几江街道办事处'),
  (2, '650102197906070357', 'DIBAO_RURAL', '农村最低生活保障', 'GRADUAL_EXIT', 24800, '2021-07-01',
   NULL, date('now', '+8 hours', 'start of month', '+4 months', '-1 day'), '白沙镇人民政府'),
  (3, '650102197906070357', 'CANJI_HULI', '重度残疾人护理补贴', 'PAYING', 9000, '2022-01-01',
   date('now', '+8 hours', 'start of month', '+6 months'), NULL, '白沙镇人民政府'),
  (4, '500116195203120027', 'TEKUN', '特困人员救助供养', 'PAYING', 80600, '2020-01-01',
   date('now', '+8 hours', 'start of month', '+2 months'), NULL, '德感街道办事处'),
  (5, '500116194005060014', 'GAOLING', '高龄津贴', 'PAYING', 5000, '2020-05-01',
   NULL, NULL, '几江街道办事处'),
  (6, '500116194005060014', 'GAOLING_SHINENG', '经济困难高龄失能老年人养老服务补贴', 'REVIEWING',
   NULL, NULL, NULL, NULL, '几江街道办事处'),
  (7, '500116199007080046', 'LINSHI', '临时救助（急难型）', 'PAYING', NULL,
   date('now', '+8 hours', 'start of month', '-2 months'), NULL, NULL, '鼎山街道办事处'),
  (8, '50011620120315003X', 'GUER_SANJU', '散居孤儿基本生活费', 'PAYING', 125600, '2019-09-01',
   date('now', '+8 hours', 'start of month', '+5 months'), NULL, '双福街道办事处'),
  (9, '500116201508200026', 'GUER_JIZHONG', '集中供养孤儿基本生活费', 'PAYING', 145600,
   '2018-03-01', date('now', '+8 hours', 'start of month', '+5 months'), NULL, '江津区儿童福利院'),
  (10, '500116198811110029', 'DIBAO_URBAN', '城市最低生活保障', 'APPLIED', NULL, NULL,
   NULL, NULL, '圣泉街道办事处'),
  (11, '500116197702020011', 'DIBAO_RURAL', '农村最低生活保障', 'ACCEPTED', NULL, NULL,
   NULL, NULL, '油溪镇人民政府'),
  (12, '50011619830404002X', 'CANJI_SHENGHUO', '困难残疾人生活补贴', 'APPROVED', 8000,
   date('now', '+8 hours', 'start of month', '+1 month'),
   date('now', '+8 hours', 'start of month', '+13 months'), NULL, '几江街道办事处'),
  (13, '500116196512120017', 'DIBAO_URBAN', '城市最低生活保障', 'SUSPENDED', 18000, '2022-06-01',
   NULL, NULL, '鼎山街道办事处'),
  (14, '500116197009090011', 'TEKUN', '特困人员救助供养', 'TERMINATED', NULL, '2020-01-01',
   NULL, NULL, '珞璜镇人民政府'),
  (15, '500116201001010020', 'WURENFUYANG', '事实无人抚养儿童基本生活补贴', 'PAYING', 125600,
   '2020-01-01', date('now', '+8 hours', 'start of month', '+4 months'), NULL, '支坪街道办事处'),
  (16, '500116193801150024', 'GAOLING', '高龄津贴', 'PAYING', 5000, '2018-02-01',
   NULL, NULL, '德感街道办事处'),
  (17, '500116192501010033', 'GAOLING', '高龄津贴', 'PAYING', 50000, '2025-01-01',
   NULL, NULL, '几江街道办事处'),
  (18, '500116198506060010', 'LINSHI', '临时救助（支出型）', 'APPLIED', NULL, NULL,
   NULL, NULL, '双福街道办事处'),
  (19, '50011619830404002X', 'DIBAO_URBAN', '城市最低生活保障', 'REVIEWING', NULL, NULL,
   NULL, NULL, '几江街道办事处');

-- Monthly payments on the 10th of each of the last 12 months (fewer when the
-- programme started later) for paying and gradually exiting programmes.
CREATE TEMP TABLE months(n INTEGER PRIMARY KEY);
INSERT INTO months(n) VALUES (1),(2),(3),(4),(5),(6),(7),(8),(9),(10),(11),(12);
INSERT INTO payments(programme_id, month, amount_fen, paid_on)
  SELECT p.id,
         strftime('%Y-%m', date('now', '+8 hours', 'start of month', '-' || m.n || ' months')),
         p.monthly_amount_fen,
         date('now', '+8 hours', 'start of month', '-' || m.n || ' months', '+9 days')
  FROM programmes p, months m
  WHERE p.status IN ('PAYING', 'GRADUAL_EXIT') AND p.monthly_amount_fen IS NOT NULL
    AND date('now', '+8 hours', 'start of month', '-' || m.n || ' months') >= p.since;
-- The suspended one was paid until four months ago.
INSERT INTO payments(programme_id, month, amount_fen, paid_on)
  SELECT 13, strftime('%Y-%m', date('now', '+8 hours', 'start of month', '-' || n || ' months')),
         18000, date('now', '+8 hours', 'start of month', '-' || n || ' months', '+9 days')
  FROM months WHERE n BETWEEN 4 AND 9;
-- Temporary assistance is one payment.
INSERT INTO payments(programme_id, month, amount_fen, paid_on) VALUES
  (7, strftime('%Y-%m', date('now', '+8 hours', 'start of month', '-2 months')), 150000,
   date('now', '+8 hours', 'start of month', '-2 months', '+17 days'));
DROP TABLE months;

-- ---- marriage registry ----------------------------------------------------------
INSERT INTO offices(code, name, address, hours, counters, capacity, sort) VALUES
  ('JJ01', '江津区婚姻登记处', '江津区几江街道滨江路88号（演示地址）',
   '周一至周五 9:00-12:00，14:00-17:00（法定节假日除外）', 3, 4, 1),
  ('JJ02', '江津区婚姻登记处白沙服务点', '江津区白沙镇便民服务中心二楼（演示地址）',
   '周一至周五 9:00-12:00，14:00-17:00（法定节假日除外）', 2, 4, 2),
  ('JJ03', '江津区婚姻登记处珞璜服务点', '江津区珞璜镇政务服务中心一楼（演示地址）',
   '周一至周五 9:00-12:00，14:00-17:00（法定节假日除外）', 2, 3, 3);

INSERT INTO slot_times(hhmm, minutes) VALUES
  (900, 60), (1000, 60), (1100, 60), (1400, 60), (1500, 60), (1600, 60);

-- Public holidays (演示数据，非官方: check the State Council notice each year).
INSERT INTO holidays(day, name) VALUES
  ('2026-01-01', '元旦'),
  ('2026-02-16', '春节'), ('2026-02-17', '春节'), ('2026-02-18', '春节'),
  ('2026-02-19', '春节'), ('2026-02-20', '春节'),
  ('2026-04-06', '清明节'),
  ('2026-05-01', '劳动节'), ('2026-05-04', '劳动节'), ('2026-05-05', '劳动节'),
  ('2026-06-19', '端午节'),
  ('2026-09-25', '中秋节'),
  ('2026-10-01', '国庆节'), ('2026-10-02', '国庆节'), ('2026-10-05', '国庆节'),
  ('2026-10-06', '国庆节'), ('2026-10-07', '国庆节'),
  ('2027-01-01', '元旦'),
  ('2027-02-08', '春节'), ('2027-02-09', '春节'), ('2027-02-10', '春节'),
  ('2027-02-11', '春节'), ('2027-02-12', '春节'),
  ('2027-04-05', '清明节'),
  ('2027-05-03', '劳动节'), ('2027-05-04', '劳动节'), ('2027-05-05', '劳动节'),
  ('2027-06-09', '端午节'),
  ('2027-09-15', '中秋节'),
  ('2027-10-01', '国庆节'), ('2027-10-04', '国庆节'), ('2027-10-05', '国庆节'),
  ('2027-10-06', '国庆节'), ('2027-10-07', '国庆节');

-- ---- policies (GET /policies; the ETag is the SHA-256 of the served body) -----
-- One policy per programme family (the assistance codes DIBAO_URBAN/DIBAO_RURAL
-- fall under DIBAO, CANJI_* under CANJI, GUER_* and WURENFUYANG under GUER,
-- GAOLING_SHINENG under GAOLING); the estimate looks amounts up by key.
INSERT INTO policies(id, body) VALUES (1, '{
 "version": "2020.1-demo",
 "effective": "2020-01-01",
 "source": "江津区民政事业发展“十四五”规划（2020年数据）",
 "programmes": [
  {"code": "DIBAO", "name": "最低生活保障（低保）",
   "summary": "家庭人均月收入低于当地低保标准的，按差额（补差）按月发放；收入超过标准但低于1.5倍的家庭渐退6个月。",
   "who": "持本区户籍、家庭人均收入和财产符合规定的城乡家庭。",
   "how": "向户籍所在地镇街提出申请，经受理、审核、审批后按月发放。",
   "documents": ["居民身份证", "户口簿", "家庭收入情况说明", "家庭财产申报表"],
   "effective": "2020-01-01", "source": "江津区民政事业发展“十四五”规划（2020年数据）",
   "amounts": [{"key": "URBAN", "label": "城市低保标准（每人每月）", "amount_fen": 62000},
               {"key": "RURAL", "label": "农村低保标准（每人每月）", "amount_fen": 49600}],
   "params": {"gradual_exit_permille": 1500, "gradual_exit_months": 6}},
  {"code": "TEKUN", "name": "特困人员救助供养",
   "summary": "无劳动能力、无生活来源、无法定赡养抚养扶养义务人的，给予基本生活保障。",
   "who": "老年人、残疾人和未满18周岁的未成年人中符合特困条件的。",
   "how": "向户籍所在地镇街提出申请。",
   "documents": ["居民身份证", "户口簿", "残疾人证（如有）"],
   "effective": "2020-01-01", "source": "江津区民政事业发展“十四五”规划（2020年数据）",
   "amounts": [{"key": "TEKUN", "label": "特困人员基本生活标准（每人每月）", "amount_fen": 80600}],
   "params": {"tekun_minor_age": 18}},
  {"code": "LINSHI", "name": "临时救助",
   "summary": "因突发事件、意外伤害、重大疾病等导致基本生活暂时困难的，给予一次性救助。",
   "who": "遭遇急难或支出型困难的家庭和个人。",
   "how": "向镇街申请；急难情形可先行救助、后补手续。",
   "documents": ["居民身份证", "困难情况说明", "相关证明材料"],
   "effective": "2020-01-01", "source": "江津区民政事业发展“十四五”规划（2020年数据）",
   "amounts": [], "params": {}},
  {"code": "CANJI", "name": "残疾人两项补贴",
   "summary": "困难残疾人生活补贴和重度残疾人护理补贴，符合条件的可同时享受。",
   "who": "低保家庭中的残疾人（生活补贴）；残疾等级为一、二级且需长期照护的残疾人（护理补贴）。",
   "how": "向户籍所在地镇街提出申请。",
   "documents": ["居民身份证", "残疾人证"],
   "effective": "2026-01-01", "source": "演示数据，非官方",
   "amounts": [{"key": "SHENGHUO", "label": "困难残疾人生活补贴（每人每月）", "amount_fen": 8000},
               {"key": "HULI", "label": "重度残疾人护理补贴（每人每月）", "amount_fen": 9000}],
   "params": {}},
  {"code": "GAOLING", "name": "高龄津贴和高龄失能老年人养老服务补贴",
   "summary": "80周岁以上老年人按年龄段按月领取高龄津贴；经济困难的高龄、失能老年人另有养老服务补贴。",
   "who": "本区户籍80周岁以上的老年人；经评估为经济困难且高龄或失能的老年人。",
   "how": "向户籍所在地镇街或社区申请。",
   "documents": ["居民身份证", "户口簿"],
   "effective": "2026-01-01", "source": "演示数据，非官方",
   "amounts": [{"key": "AGE80", "label": "80-89周岁（每人每月）", "amount_fen": 5000},
               {"key": "AGE90", "label": "90-99周岁（每人每月）", "amount_fen": 10000},
               {"key": "AGE100", "label": "100周岁以上（每人每月）", "amount_fen": 50000}],
   "params": {}},
  {"code": "GUER", "name": "孤儿和事实无人抚养儿童基本生活保障",
   "summary": "孤儿按集中供养或散居标准按月发放基本生活费；事实无人抚养儿童参照散居孤儿标准。",
   "who": "经认定的孤儿和事实无人抚养儿童。",
   "how": "由儿童福利机构或监护人向户籍所在地镇街申请。",
   "documents": ["户口簿", "父母死亡、失联等情况证明", "监护人身份证"],
   "effective": "2020-01-01", "source": "江津区民政事业发展“十四五”规划（2020年数据）",
   "amounts": [{"key": "JIZHONG", "label": "集中供养孤儿（每人每月）", "amount_fen": 145600},
               {"key": "SANJU", "label": "散居孤儿（每人每月）", "amount_fen": 125600}],
   "params": {}}
 ]
}');

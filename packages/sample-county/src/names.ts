/** Names of rural central China, for plausible rolls. */

/**
 * Surnames with their approximate shares in percent (the national surname surveys: 王, 李 and 张
 * about 7 % each); the rest of the list shares what remains.
 */
const COMMON: readonly (readonly [string, number])[] = [
  ['王', 7.25], ['李', 7.19], ['张', 7.07], ['刘', 5.38], ['陈', 4.53], ['杨', 3.08], ['赵', 2.29], ['黄', 2.23], ['周', 2.12], ['吴', 2.05],
  ['徐', 1.67], ['孙', 1.54], ['胡', 1.31], ['朱', 1.26], ['高', 1.21], ['林', 1.18], ['何', 1.17], ['郭', 1.15], ['马', 1.05], ['罗', 0.86],
];
const RARER = [...'梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文'];
export const SURNAME_WEIGHTS: readonly (readonly [string, number])[] = [
  ...COMMON,
  ...RARER.map((s) => [s, (100 - COMMON.reduce((a, [, w]) => a + w, 0)) / RARER.length] as const),
];

/** Given-name characters as parents chose them for boys and for girls. */
export const GIVEN_MALE = [...'国建华志军明永伟强刚勇杰涛斌超鹏辉峰磊海平成保东亮林波宇浩'];
export const GIVEN_FEMALE = [...'秀英玉兰桂芳春丽霞敏娟燕艳梅静凤琴云珍翠花红萍娜'];

export const TOWN_NAMES = ['城关', '城郊', '新集', '古城', '王店', '李庄', '双河', '柳林', '石桥', '高庙', '马集', '大王', '黄岗', '三里', '白塔', '东湖'];
export const VILLAGE_SUFFIX = ['村', '庄村', '营村', '集村', '店村', '湾村', '岗村', '楼村'];

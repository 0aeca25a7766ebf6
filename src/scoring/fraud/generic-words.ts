/**
 * Words that carry no content of their own in a comment: praise, blessings,
 * contest boilerplate and filler, in Gulf Arabic and English. A comment made
 * only of these (or only of emoji) is "generic". Honest people write such
 * comments all the time, so this is a weak signal and never a reason to match
 * two comments as copies of each other.
 */
import { foldForComparison } from '../../domain/arabic.js';

const ARABIC = `
  جميل جميله حلو حلوه حلوين رائع رائعه روعه رهيب رهيبه يجنن يهبل ممتاز ممتازه مبدع مبدعين مبدعه ابداع
  خطير فخم فخمه لذيذ لذيذه طيب يم واو وو اوه ياسلام يا سلام كفو كفوو عجيب تحفه قمه قمة
  ما شاء الله ماشاءالله ماشاء تبارك تبارك الرحمن سبحان اللهم صل على محمد امين آمين يارب يا رب رب
  الله يوفقكم يوفقك يوفقكم الله بالتوفيق موفقين موفق يعطيكم يعطيك العافيه تسلم تسلمون تسلمين يسلمو يسلموا
  شكرا شكرًا مشكورين مشكور احسنتم احسنت حبيت احب احبكم حبيبي اعجبني عجبني
  جدا مره مرة كثير والله بصراحه صراحه ابد دايم دايما
  تم مشاركه مشارك مشاركة اشارك ان شاء انشاءالله انشالله
  محتوى تصوير صوره الصوره المنشور منشور
  هذا هذي هذه هنا انا انت انتم و في من مع عن الى لا نعم ايه اي يا
`;

const ENGLISH = `
  wow woow nice love loved loving lovely it its this that so soo much very really amazing awesome great
  beautiful cool cute perfect good best yummy yum omg fire lit done participating participate in on
  the a an and is are i you u guys thanks thank tnx ty like likes wonderful fantastic excellent super
  content post pic pics photo shot looks look obsessed vibes
  yes yay haha hahaha lol ok okay dope sweet gorgeous stunning top
`;

export const GENERIC_WORDS: ReadonlySet<string> = new Set(
  foldForComparison(`${ARABIC} ${ENGLISH}`).split(' ').filter((word) => word.length > 0),
);

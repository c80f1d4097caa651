// Labels of the visits module (the grade tag and its colours are the platform's: platform/components/GradeTag.vue).
export const ruleKind = (rule: string) => (rule.startsWith('grade:') ? 'grade' : rule.startsWith('category:') ? 'category' : 'default')

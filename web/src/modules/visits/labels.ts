// Grade colours (HELPERS.md: red #d93026, orange #f08c00, yellow #e6b800, blue #2f6fdf, green #2e9e5b) and labels.
export const GRADE_COLORS: Record<string, string> = { red: '#d93026', orange: '#f08c00', yellow: '#e6b800', blue: '#2f6fdf', green: '#2e9e5b' }
export const gradeColor = (g: string) => GRADE_COLORS[g] || '#909399'
export const ruleKind = (rule: string) => (rule.startsWith('grade:') ? 'grade' : rule.startsWith('category:') ? 'category' : 'default')

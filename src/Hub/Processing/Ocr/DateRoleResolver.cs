namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>
/// Assigns date of birth and examination date among found dates, in this order of evidence:
/// labels first (<see cref="DateLabel"/>); then, of two different unlabeled dates, the older is the birth
/// date; then a single date followed by a time is the examination; last, the caller's hint (which region
/// the date came from). A pure function.
/// </summary>
internal static class DateRoleResolver
{
    /// <summary>Resolves roles for <paramref name="dates"/>; <paramref name="hint"/> gives the role of a date that nothing else decides.</summary>
    public static DateRoles Resolve(IReadOnlyList<FoundDate> dates, Func<FoundDate, DateLabel>? hint = null)
    {
        var birth = dates.FirstOrDefault(d => d.Label == DateLabel.Birth);
        var exam = dates.FirstOrDefault(d => d.Label == DateLabel.Examination);
        var rest = dates.Where(d => d.Label == DateLabel.None && d.Date != birth?.Date && d.Date != exam?.Date).ToList();

        if (birth is null && exam is null)
        {
            var distinct = rest.Select(d => d.Date).Distinct().ToList();
            if (distinct.Count >= 2)
            {
                var oldest = distinct.Min();
                var newest = distinct.Max();
                birth = rest.First(d => d.Date == oldest);
                exam = rest.FirstOrDefault(d => d.Date == newest && d.Time is not null) ?? rest.First(d => d.Date == newest);
            }
            else if (rest.Count > 0)
            {
                var single = rest.FirstOrDefault(d => d.Time is not null) ?? rest[0];
                var role = single.Time is not null ? DateLabel.Examination : hint?.Invoke(single) ?? DateLabel.None;
                if (role == DateLabel.Examination)
                {
                    exam = single;
                }
                else if (role == DateLabel.Birth)
                {
                    birth = single;
                }
            }
        }
        else if (birth is null)
        {
            birth = rest.Where(d => d.Date < exam!.Date && d.Time is null).MinBy(d => d.Date);
        }
        else if (exam is null)
        {
            exam = rest.Where(d => d.Date > birth.Date).OrderByDescending(d => d.Time is not null).ThenByDescending(d => d.Date).FirstOrDefault();
        }

        return new DateRoles(birth?.Date, exam?.Date, exam?.Time);
    }
}

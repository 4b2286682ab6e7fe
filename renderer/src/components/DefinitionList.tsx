// A labelled list of values (<dl>: a <dt> term, then its <dd> value), the console's way to show a
// record's fields. An entry left out (null or false) is not shown, for fields that only some records have.
import { Fragment, type CSSProperties, type ReactNode } from 'react';

export interface Definition {
  term: ReactNode;
  value: ReactNode;
  /** The value's test id, for the figures the tests read. */
  testId?: string;
}

export function DefinitionList({
  items,
  style,
  valueStyle,
}: {
  items: (Definition | null | false)[];
  style?: CSSProperties;
  valueStyle?: CSSProperties;
}) {
  return (
    <dl style={style}>
      {items.map((item, index) =>
        item ? (
          <Fragment key={index}>
            <dt>{item.term}</dt>
            <dd data-testid={item.testId} style={valueStyle}>
              {item.value}
            </dd>
          </Fragment>
        ) : null,
      )}
    </dl>
  );
}

import { Svg, type IconProps } from "../ui/icons";

/** A flag on a path: a mission of milestones. */
export const IconMission = (p: IconProps) => (
  <Svg {...p}>
    <path d="M5 21V4" />
    <path d="M5 4h11l-2 3.5L16 11H5" />
    <path d="M9 21c2-2 4-2 6 0s4 2 6 0" />
  </Svg>
);

/** Three nodes joined: the dependency graph. */
export const IconGraph = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="5" cy="6" r="2.5" />
    <circle cx="5" cy="18" r="2.5" />
    <circle cx="19" cy="12" r="2.5" />
    <path d="M7.5 6.5c5 .5 6 4 9 5M7.5 17.5c5-.5 6-4 9-5" />
  </Svg>
);

export const IconPause = (p: IconProps) => (
  <Svg {...p}>
    <path d="M8 5v14M16 5v14" />
  </Svg>
);

export const IconPlay = (p: IconProps) => (
  <Svg {...p}>
    <path d="M7 4.5v15l12-7.5Z" />
  </Svg>
);

export const IconSkip = (p: IconProps) => (
  <Svg {...p}>
    <path d="M5 5l9 7-9 7Z" />
    <path d="M18 5v14" />
  </Svg>
);

export const IconSeal = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="12" cy="10" r="6" />
    <path d="m9.5 10 1.7 1.7 3.3-3.4" />
    <path d="M8.5 15 7 21l5-2.5 5 2.5-1.5-6" />
  </Svg>
);
